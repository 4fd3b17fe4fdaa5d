internal import CGit2

/// The one owner of a `git_repository`. Everything that reads or writes a repository goes
/// through it; the handle is freed when the last reference goes.
public final class Repository: @unchecked Sendable {
    let pointer: OpaquePointer
    /// The working directory, or the git directory of a bare repository.
    public let path: String

    private init(pointer: OpaquePointer, path: String) {
        self.pointer = pointer
        self.path = path
    }

    deinit { git_repository_free(pointer) }

    /// Opens the repository at `path` (a work tree or a bare repository).
    public static func open(_ path: String) throws(GitError) -> Repository {
        _ = LibGit2.version
        var handle: OpaquePointer?
        try check("open repository \(path)", git_repository_open(&handle, path))
        guard let handle else { throw GitError(operation: "open repository \(path)", code: -1, message: "no handle") }
        return Repository(pointer: handle, path: path)
    }

    /// Creates a new repository at `path`.
    public static func create(_ path: String, bare: Bool) throws(GitError) -> Repository {
        _ = LibGit2.version
        var handle: OpaquePointer?
        try check("init repository \(path)", git_repository_init(&handle, path, bare ? 1 : 0))
        guard let handle else { throw GitError(operation: "init repository \(path)", code: -1, message: "no handle") }
        return Repository(pointer: handle, path: path)
    }

    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

    /// Resolves a revision expression (`HEAD`, `main`, `abc123`, `v1.0^{}`) to an object id.
    public func resolve(_ revision: String) throws(GitError) -> ObjectID {
        var object: OpaquePointer?
        try check("resolve \(revision)", git_revparse_single(&object, pointer, revision))
        defer { git_object_free(object) }
        return ObjectID(git_object_id(object).pointee)
    }
}

/// A Git object id (SHA-1), as 20 bytes.
public struct ObjectID: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    init(_ oid: git_oid) {
        bytes = withUnsafeBytes(of: oid.id) { Array($0) }
    }

    public init?(hex: String) {
        var oid = git_oid()
        guard git_oid_fromstr(&oid, hex) == 0 else { return nil }
        self.init(oid)
    }

    var raw: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { $0.copyBytes(from: bytes) }
        return oid
    }

    public var hex: String {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
    }

    public var description: String { hex }
}
