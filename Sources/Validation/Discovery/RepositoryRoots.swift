import Foundation

/// Where each file's repository starts: the nearest folder at or above it that holds
/// `.git` (the directory, or the file a linked work tree or submodule has) or
/// `.capstan.yaml`. Flux and Argo CD paths are relative to that folder, whichever folder
/// was given to validate (`capstan validate examples/` checks each example repository
/// against its own root). Found on the file system alone: no git process, no libgit2.
final class RepositoryRoots {
    /// Names that mark a repository's root folder.
    static let markers = [".git", ".capstan.yaml"]
    private var known: [String: String?] = [:]
    private let workingDirectory = FileManager.default.currentDirectoryPath

    /// The absolute root enclosing `directory`, or nil when no folder above it is marked.
    func root(ofDirectory directory: String) -> String? {
        var visited: [String] = []
        var current = absolute(directory)
        var found: String?
        while true {
            if let cached = known[current] {
                found = cached
                break
            }
            visited.append(current)
            if Self.markers.contains(where: { FileManager.default.fileExists(atPath: current == "/" ? "/\($0)" : "\(current)/\($0)") }) {
                found = current
                break
            }
            guard current != "/" else { break }
            current = PathNormaliser.directory(of: current)
        }
        for directory in visited { known[directory] = .some(found) }
        return found
    }

    /// `path` made absolute against the working directory and lexically normalised, so
    /// paths given in different forms (`./a`, `a/`, `/work/a`) compare equal.
    func absolute(_ path: String) -> String {
        PathNormaliser.normalise(path.hasPrefix("/") ? path : "\(workingDirectory)/\(path)")
    }
}
