#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The working tree edits apply to. Every path is checked to stay inside the root: `..`
/// segments are refused outright, and a symlink whose target leaves the tree is an error
/// rather than something quietly followed or skipped. Reading may follow a link that
/// stays inside; writing never follows one (see `FileTree+Writing.swift`).
public struct FileTree: EditableTree {
    /// The root's real, absolute path.
    public let root: String

    public init(root: String) throws(EditError) {
        guard let real = Self.realPath(root) else { throw .notFound(root) }
        var info = stat()
        guard stat(real, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .pathOutsideTree(root, reason: "not a directory")
        }
        self.root = real
    }

    /// The tree-relative form of `path` (relative to the root, or absolute inside it),
    /// after checking that neither it nor any symlink on the way leaves the tree.
    public func relativePath(_ path: String) throws(EditError) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        if segments.contains("..") {
            throw .pathOutsideTree(path, reason: "paths with .. segments are refused; give a path inside \(root)")
        }
        var relative: String
        if path.hasPrefix("/") {
            let real = Self.realPath(path) ?? path
            guard real == root || real.hasPrefix(root + "/") else {
                throw .pathOutsideTree(path, reason: "outside the tree \(root)")
            }
            relative = String(real.dropFirst(root.count))
        } else {
            relative = path
        }
        relative = relative.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
        let absolute = relative.isEmpty ? root : root + "/" + relative
        guard let real = Self.realPath(absolute) else { throw .notFound(path) }
        guard real == root || real.hasPrefix(root + "/") else {
            throw .pathOutsideTree(path, reason: "is a symlink (or under one) that leads outside the tree, to \(real)")
        }
        return relative
    }

    /// Absolute path of a tree-relative path.
    public func absolute(_ relative: String) -> String {
        relative.isEmpty ? root : root + "/" + relative
    }

    /// Every file under `paths` (files or directories, tree-relative), sorted, without
    /// `.git`, whose name `include` accepts. Symlinks are never listed or descended (a
    /// file is edited under its real name); one that leads outside the tree is an error.
    public func files(under paths: [String], include: (String) -> Bool) throws(EditError) -> [String] {
        var found = Set<String>()
        for path in paths {
            let relative = try relativePath(path)
            let absolutePath = absolute(relative)
            var info = stat()
            guard stat(absolutePath, &info) == 0 else { throw .notFound(path) }
            if info.st_mode & S_IFMT == S_IFDIR {
                try walk(relative, include: include, into: &found)
            } else {
                found.insert(relative)
            }
        }
        return found.sorted()
    }

    private func walk(_ directory: String, include: (String) -> Bool, into found: inout Set<String>) throws(EditError) {
        var pending = [directory]
        while let current = pending.popLast() {
            let absolutePath = absolute(current)
            guard let handle = opendir(absolutePath) else {
                throw .io(absolutePath, reason: String(cString: strerror(errno)))
            }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." || name == ".git" { continue }
                let child = current.isEmpty ? name : current + "/" + name
                switch Int32(entry.pointee.d_type) {
                case Int32(DT_DIR):
                    pending.append(child)
                case Int32(DT_REG):
                    if include(name) { found.insert(child) }
                case Int32(DT_LNK):
                    let target = absolute(child)
                    guard let real = Self.realPath(target) else { continue }
                    guard real == root || real.hasPrefix(root + "/") else {
                        throw .pathOutsideTree(child, reason: "is a symlink that leads outside the tree, to \(real)")
                    }
                    // A link inside the tree is not an edit target: its file is edited under its own name.
                default:
                    var info = stat()
                    if lstat(absolute(child), &info) == 0 {
                        if info.st_mode & S_IFMT == S_IFDIR { pending.append(child) }
                        else if info.st_mode & S_IFMT == S_IFREG, include(name) { found.insert(child) }
                    }
                }
            }
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
