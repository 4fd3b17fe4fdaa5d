import Foundation
import Validation
import YAML

/// The release repository's work tree as discovery reads it: paths relative to its root,
/// parsed YAML remembered per file so each kustomization is read once.
final class ReleaseTree {
    let root: String
    private var parsed: [String: YAMLFile] = [:]
    private var listings: [String: [String]] = [:]
    fileprivate var everyFile: [String]?

    init(root: String) throws(AppsError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingRoot(root)
        }
        self.root = root
    }

    /// The on-disk path of a repository-relative path.
    func absolute(_ relative: String) -> String {
        relative == "." ? root : "\(root)/\(relative)"
    }

    func isFile(_ relative: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: absolute(relative), isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    func isDirectory(_ relative: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: absolute(relative), isDirectory: &isDirectory) && isDirectory.boolValue
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

    /// Parses a repository file once; nil when it does not exist.
    func parse(_ relative: String) throws(AppsError) -> YAMLFile? {
        if let known = parsed[relative] { return known }
        guard let data = FileManager.default.contents(atPath: absolute(relative)) else { return nil }
        let file: YAMLFile
        do {
            file = try YAMLFile.parse([UInt8](data), path: relative)
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
