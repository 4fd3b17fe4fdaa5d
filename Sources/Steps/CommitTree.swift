import Edits
import Git

/// A commit's tree, read from the object database, as the tree an edit plan works on:
/// `update` edits without checking anything out. Paths never leave it (no `..`, no
/// absolute paths), links are never followed, and only regular files can be changed.
/// Paths are looked up as they are asked for, and a folder is listed only when its files
/// are: an edit under one folder of a large tree reads only that folder's trees.
struct CommitTree: EditableTree {
    let repository: Repository
    let commit: ObjectID

    init(repository: Repository, commit: ObjectID) throws(GitError) {
        self.repository = repository
        self.commit = commit
        _ = try repository.commitInfo(commit)
    }

    /// The entry at `relative`, nil when the tree has none.
    func entry(_ relative: String) throws(EditError) -> TreeEntry? {
        do { return try repository.entry(at: relative, inCommit: commit) } catch { throw .io(relative, reason: "\(error)") }
    }

    func relativePath(_ path: String) throws(EditError) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        if segments.contains("..") {
            throw .pathOutsideTree(path, reason: "paths with .. segments are refused; give a path inside the repository")
        }
        if path.hasPrefix("/") { throw .pathOutsideTree(path, reason: "give a path relative to the repository's root") }
        let relative = segments.filter { $0 != "." }.joined(separator: "/")
        guard !relative.isEmpty else { return "" }
        var prefix = ""
        for segment in segments.dropLast() where segment != "." {
            prefix = prefix.isEmpty ? String(segment) : prefix + "/" + segment
            if try entry(prefix)?.kind == .link { throw Self.linkRefusal(relative, at: prefix) }
        }
        guard try entry(relative) != nil else { throw .notFound(path) }
        return relative
    }

    func files(under paths: [String], include: (String) -> Bool) throws(EditError) -> [String] {
        var found = Set<String>()
        for path in paths {
            let relative = try relativePath(path)
            switch try entry(relative)?.kind {
            case .file:
                found.insert(relative)
            case .link:
                throw Self.linkRefusal(relative, at: relative)
            case .directory:
                let entries: [String: TreeEntry]
                do { entries = try repository.entries(ofCommit: commit, under: relative) } catch {
                    throw .io(relative, reason: "\(error)")
                }
                for (candidate, entry) in entries {
                    guard case .file = entry.kind else { continue }
                    let name = candidate.split(separator: "/").last.map(String.init) ?? candidate
                    if include(name) { found.insert(candidate) }
                }
            case .submodule, nil:
                continue
            }
        }
        return found.sorted()
    }

    func read(_ relative: String, limit: Int) throws(EditError) -> [UInt8] {
        guard let entry = try entry(relative) else { throw .notFound(relative) }
        switch entry.kind {
        case .file: break
        case .link: throw Self.linkRefusal(relative, at: relative)
        case .directory, .submodule: throw .io(relative, reason: "not a regular file")
        }
        do {
            let size = try repository.objectSize(entry.id)
            guard size <= limit else { throw EditError.yaml(.tooLarge(file: relative, bytes: size, limit: limit)) }
            return try repository.blob(entry.id)
        } catch let error as EditError {
            throw error
        } catch {
            throw .io(relative, reason: "\(error)")
        }
    }

    func checkWritable(_ relative: String) throws(EditError) {
        _ = try relativePath(relative)
        switch try entry(relative)?.kind {
        case .file: return
        case .link: throw Self.linkRefusal(relative, at: relative)
        case nil: throw .notFound(relative)
        default: throw .io(relative, reason: "not a regular file")
        }
    }

    /// Whether the file at `relative` is executable (its new blob keeps the mode).
    func isExecutable(_ relative: String) -> Bool {
        (try? entry(relative))?.kind == .file(executable: true)
    }
}
