import YAML

/// The files an edit plan reads and may change: a directory on disk (`FileTree`, for
/// `capstan set`) or a commit's tree read from a repository's object database (for
/// `capstan update`, which never checks anything out). Either way a path never leaves
/// the tree and a file is changed only when it is a regular file, never through a link.
public protocol EditableTree: Sendable {
    /// The tree-relative form of `path`, refused when it leaves the tree.
    func relativePath(_ path: String) throws(EditError) -> String
    /// Every file under `paths` whose name `include` accepts, sorted.
    func files(under paths: [String], include: (String) -> Bool) throws(EditError) -> [String]
    /// A file's bytes; a file larger than `limit` is refused before it is read.
    func read(_ relative: String, limit: Int) throws(EditError) -> [UInt8]
    /// Refuses unless `relative` is a regular file reached through no symlink.
    func checkWritable(_ relative: String) throws(EditError)
}

extension EditableTree {
    /// A file's bytes within the YAML size limit.
    public func read(_ relative: String) throws(EditError) -> [UInt8] {
        try read(relative, limit: YAMLLimits.default.maxBytes)
    }

    /// What to say when the file an edit would change is a link.
    public static func linkRefusal(_ relative: String, at component: String) -> EditError {
        let what = component == relative ? "is a symlink" : "lies under \(component), a symlink"
        return .pathOutsideTree(relative, reason: "\(what); Capstan changes only regular files inside the tree and never writes "
            + "through a link: edit the file it points to (or replace the link); nothing was written")
    }
}
