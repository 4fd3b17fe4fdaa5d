import Edits
import Foundation
import Validation
import YAML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The release repository's work tree as discovery reads it: paths relative to its root,
/// parsed YAML remembered per file so each kustomization is read once. The tree is the
/// change under test, so links in it are never followed (a file read through one is
/// refused, a linked folder is not walked) and every read is bounded in size.
final class ReleaseTree {
    let root: String
    private let files: FileTree
    private var parsed: [String: YAMLFile] = [:]
    private var listings: [String: [String]] = [:]
    fileprivate var everyFile: [String]?

    init(root: String) throws(AppsError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingRoot(root)
        }
        self.root = root
        do {
            files = try FileTree(root: root)
        } catch {
            throw .missingRoot(root)
        }
    }

    /// The on-disk path of a repository-relative path.
    func absolute(_ relative: String) -> String {
        relative == "." ? root : "\(root)/\(relative)"
    }

    /// Whether `relative` is a regular file itself (a link to one is not).
    func isFile(_ relative: String) -> Bool {
        fileType(relative) == S_IFREG
    }

    /// Whether `relative` is a folder itself (a link to one is not, so walks never loop).
    func isDirectory(_ relative: String) -> Bool {
        fileType(relative) == S_IFDIR
    }

    private func fileType(_ relative: String) -> mode_t? {
        var info = stat()
        guard lstat(absolute(relative), &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// Names in a directory, sorted; empty when it cannot be read.
    func names(in relative: String) -> [String] {
        if let known = listings[relative] { return known }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: absolute(relative))) ?? []).sorted()
        listings[relative] = names
        return names
    }

    /// The kustomization file in a directory, if there is one.
    func kustomizationFile(in directory: String) -> String? {
        let names = names(in: directory)
        return ["kustomization.yaml", "kustomization.yml", "Kustomization"].first(where: names.contains).map { join(directory, $0) }
    }

    /// A repository file's bytes; nil when it does not exist. A link (anywhere on the way),
    /// a device or FIFO, or a file over the YAML size limit is refused, never read.
    func read(_ relative: String) throws(AppsError) -> [UInt8]? {
        do {
            return try files.readWithoutFollowingLinks(relative, limit: YAMLLimits.default.maxBytes)
        } catch {
            switch error {
            case .notFound: return nil
            case .pathOutsideTree: throw .unreadable(path: relative, reason: "is a symlink or lies under one, or leaves the tree; links in the tree are not followed")
            case let .yaml(yaml): throw .unreadable(path: relative, reason: yaml.description)
            default: throw .unreadable(path: relative, reason: error.description)
            }
        }
    }

    /// Parses a repository file once; nil when it does not exist.
    func parse(_ relative: String) throws(AppsError) -> YAMLFile? {
        if let known = parsed[relative] { return known }
        guard let bytes = try read(relative) else { return nil }
        let file: YAMLFile
        do {
            file = try YAMLFile.parse(bytes, path: relative)
        } catch {
            throw .unparsable(path: relative, message: error.description)
        }
        parsed[relative] = file
        return file
    }

    /// Joins a directory and a relative reference, lexically normalised.
    func join(_ directory: String, _ reference: String) -> String {
        PathNormaliser.normalise(directory == "." ? reference : "\(directory)/\(reference)")
    }

    /// Every file under a directory at any depth (repository-relative), skipping `.git`.
    func files(under directory: String) -> [String] {
        var found: [String] = []
        for name in names(in: directory) where name != ".git" {
            let path = join(directory, name)
            if isDirectory(path) { found += files(under: path) } else { found.append(path) }
        }
        return found
    }
}

extension ReleaseTree {
    /// Every file in the repository (repository-relative, sorted), for generator globs.
    var allFiles: [String] {
        if let everyFile { return everyFile }
        let found = files(under: ".")
        everyFile = found
        return found
    }

    /// Every directory in the repository, for git directory generators.
    var allDirectories: [String] {
        var found = Set<String>()
        for file in allFiles {
            var directory = PathNormaliser.directory(of: file)
            while directory != ".", found.insert(directory).inserted {
                directory = PathNormaliser.directory(of: directory)
            }
        }
        return found.sorted()
    }
}
