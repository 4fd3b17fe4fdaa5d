import Foundation
internal import CGit2

/// One path in a commit's tree, as the object database records it.
public struct TreeEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case file(executable: Bool)
        case link
        case directory
        case submodule
    }

    public let kind: Kind
    public let id: ObjectID

    init(kind: Kind, id: ObjectID) {
        self.kind = kind
        self.id = id
    }

    init(_ entry: OpaquePointer?) {
        switch git_tree_entry_filemode(entry) {
        case GIT_FILEMODE_TREE: kind = .directory
        case GIT_FILEMODE_LINK: kind = .link
        case GIT_FILEMODE_COMMIT: kind = .submodule
        case GIT_FILEMODE_BLOB_EXECUTABLE: kind = .file(executable: true)
        default: kind = .file(executable: false)
        }
        id = ObjectID(git_tree_entry_id(entry).pointee)
    }
}

extension Repository {
    /// Every path under the folder `folder` of `commit`'s tree ("" for the whole tree),
    /// directories included, keyed by its path from the root; empty when there is no such
    /// folder. Read from the object database, and only that folder's trees are read: what
    /// `update` edits, without ever checking a file out.
    public func entries(ofCommit commit: ObjectID, under folder: String = "") throws(GitError) -> [String: TreeEntry] {
        let root = try rootTree(ofCommit: commit)
        defer { git_tree_free(root) }
        var tree = root
        var subtree: OpaquePointer?
        defer { git_tree_free(subtree) }
        if !folder.isEmpty {
            guard let entry = try entry(at: folder, inCommit: commit), entry.kind == .directory else { return [:] }
            var oid = entry.id.raw
            try check("read \(folder) in \(commit)", git_tree_lookup(&subtree, pointer, &oid))
            tree = subtree
        }
        let collector = EntryCollector(prefix: folder.isEmpty ? "" : folder + "/")
        let result = git_tree_walk(tree, GIT_TREEWALK_PRE, { root, entry, payload in
            guard let entry, let payload else { return -1 }
            let collector = Unmanaged<EntryCollector>.fromOpaque(payload).takeUnretainedValue()
            let directory = root.map { String(cString: $0) } ?? ""
            let name = String(cString: git_tree_entry_name(entry))
            collector.entries[collector.prefix + directory + name] = TreeEntry(entry)
            return 0
        }, Unmanaged.passUnretained(collector).toOpaque())
        try check("list the tree of \(commit)", result)
        return collector.entries
    }

    /// The entry at `path` (`a/b/c`) in `commit`'s tree, nil when there is none; only the
    /// trees on the way to it are read. The root itself is a directory.
    public func entry(at path: String, inCommit commit: ObjectID) throws(GitError) -> TreeEntry? {
        let root = try rootTree(ofCommit: commit)
        defer { git_tree_free(root) }
        guard !path.isEmpty else { return TreeEntry(kind: .directory, id: ObjectID(git_tree_id(root).pointee)) }
        var entry: OpaquePointer?
        let found = git_tree_entry_bypath(&entry, root, path)
        if found == GIT_ENOTFOUND.rawValue { return nil }
        try check("find \(path) in \(commit)", found)
        defer { git_tree_entry_free(entry) }
        return TreeEntry(entry)
    }

    /// The size of an object, from its header alone (nothing else is read or inflated).
    public func objectSize(_ id: ObjectID) throws(GitError) -> Int {
        var odb: OpaquePointer?
        try check("open the object database", git_repository_odb(&odb, pointer))
        defer { git_odb_free(odb) }
        var oid = id.raw
        var size = 0
        var type = GIT_OBJECT_ANY
        try check("read the header of \(id)", git_odb_read_header(&size, &type, odb, &oid))
        return size
    }

    /// A blob's bytes.
    public func blob(_ id: ObjectID) throws(GitError) -> [UInt8] {
        var oid = id.raw
        var blob: OpaquePointer?
        try check("read blob \(id)", git_blob_lookup(&blob, pointer, &oid))
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    /// The tree of `commit` with each of `files` replaced by a new blob of its bytes (an
    /// executable file stays executable). Only the blobs and the trees on their paths are
    /// written; nothing is checked out and no reference moves.
    public func tree(ofCommit commit: ObjectID, replacing files: [(path: String, bytes: [UInt8], executable: Bool)]) throws(GitError) -> ObjectID {
        let baseline = try rootTree(ofCommit: commit)
        defer { git_tree_free(baseline) }
        var updates: [git_tree_update] = []
        var paths: [UnsafeMutablePointer<CChar>?] = []
        defer { paths.forEach { free($0) } }
        for file in files {
            var blobID = git_oid()
            let written = file.bytes.withUnsafeBytes { buffer in
                git_blob_create_from_buffer(&blobID, pointer, buffer.baseAddress, buffer.count)
            }
            try check("write \(file.path)", written)
            let path = strdup(file.path)
            paths.append(path)
            updates.append(git_tree_update(action: GIT_TREE_UPDATE_UPSERT, id: blobID,
                                           filemode: file.executable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB,
                                           path: UnsafePointer(path)))
        }
        var treeID = git_oid()
        try check("write the new tree", git_tree_create_updated(&treeID, pointer, baseline, updates.count, &updates))
        return ObjectID(treeID)
    }

    /// A commit of `tree` on `parent`, signed when a signer is given; no reference moves.
    public func commit(tree: ObjectID, parent: ObjectID, author: CommitPerson, message: String,
                       signer: CommitSigner? = nil) throws(GitError) -> ObjectID {
        if let signer {
            let now = author.time == nil ? author.at(Int(Date().timeIntervalSince1970)) : author
            let payload = try commitPayload(tree: tree, parents: [parent], author: now, committer: now, message: message)
            let armored: String
            do {
                armored = try signer(payload)
            } catch {
                throw GitError(operation: "sign commit", code: -1, message: String(describing: error))
            }
            return try writeSignedCommit(payload: payload, signature: armored, updating: nil)
        }
        var treeID = tree.raw
        var treeHandle: OpaquePointer?
        try check("look up tree", git_tree_lookup(&treeHandle, pointer, &treeID))
        defer { git_tree_free(treeHandle) }
        var parentID = parent.raw
        var parentCommit: OpaquePointer?
        try check("look up \(parent)", git_commit_lookup(&parentCommit, pointer, &parentID))
        defer { git_commit_free(parentCommit) }
        let signature = try SignatureHandle(author)
        var parents: [OpaquePointer?] = [parentCommit]
        var result = git_oid()
        try check("create commit", git_commit_create(&result, pointer, nil, signature.pointer, signature.pointer, "UTF-8", message,
                                                     treeHandle, 1, &parents))
        return ObjectID(result)
    }

    /// Whether `descendant` is `ancestor` or has it in its history.
    public func contains(_ descendant: ObjectID, _ ancestor: ObjectID) throws(GitError) -> Bool {
        if descendant == ancestor { return true }
        var a = descendant.raw
        var b = ancestor.raw
        let result = git_graph_descendant_of(pointer, &a, &b)
        try check("compare \(descendant) with \(ancestor)", result)
        return result == 1
    }
}

private final class EntryCollector {
    let prefix: String
    var entries: [String: TreeEntry] = [:]

    init(prefix: String) { self.prefix = prefix }
}
