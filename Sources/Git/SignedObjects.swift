internal import CGit2

/// A `Key: value` line from the last paragraph of a commit message.
public struct Trailer: Sendable, Equatable, Codable {
    public let key: String
    public let value: String
}

/// A commit as signature verification needs it: the signature git stores in the
/// `gpgsig` header, the exact bytes it covers, and who committed it when.
public struct SignedCommit: Sendable {
    public let id: ObjectID
    /// The armored signature (OpenPGP or SSH), nil when the commit is unsigned.
    public let signature: [UInt8]?
    /// The commit object without its signature header: what the signature covers.
    public let signedPayload: [UInt8]
    /// Why the object is not one git would call signed as it stands (a NUL, a second
    /// signature header, bytes after the armor…): such a commit is bad whatever its signature.
    public let payloadProblem: String?
    public let committerName: String
    public let committerEmail: String
    /// Seconds since 1970.
    public let committerTime: Int
    public let parents: [ObjectID]
    public let summary: String
    public let message: String

    public var isMerge: Bool { parents.count > 1 }

    /// The commit `id` from its object bytes, its signature split from the signed bytes exactly
    /// as git splits them (`SignedPayload.commit`). Pure: no libgit2 handle is touched.
    public init(id: ObjectID, object: [UInt8]) {
        let split = SignedPayload.commit(object)
        let text = CommitText(split.payload)
        self.id = id
        signature = split.signature
        signedPayload = split.payload
        payloadProblem = split.problem
        committerName = text.committerName
        committerEmail = text.committerEmail
        committerTime = text.committerTime
        parents = text.parents
        summary = text.summary
        message = text.message
    }

    /// The message's trailers, as libgit2 finds them (`git_message_trailers`).
    public var trailers: [Trailer] { Repository.trailers(of: message) }

    /// The value of the first trailer named `key` (case-insensitive).
    public func trailer(_ key: String) -> String? {
        trailers.first { $0.key.lowercased() == key.lowercased() }?.value
    }
}

/// An annotated tag with the signature appended to its message and the bytes it covers.
public struct SignedTag: Sendable {
    public let id: ObjectID
    public let name: String
    public let target: ObjectID
    /// "commit", "tree", "blob" or "tag".
    public let targetType: String
    public let signature: [UInt8]?
    public let signedPayload: [UInt8]
    /// Why the tag is not one git would call signed as it stands; nil when it is.
    public let payloadProblem: String?
    public let taggerEmail: String?
    public let taggerTime: Int?
}

extension Repository {
    /// The commit `id` with its signature split from the signed bytes exactly as git splits
    /// them (`SignedPayload.commit`), read from the object database in one lookup.
    public func signedCommit(_ id: ObjectID) throws(GitError) -> SignedCommit {
        SignedCommit(id: id, object: try rawCommit(id))
    }

    /// The bytes of the commit object `id` (without git's "commit N\0" header). A commit the
    /// revision walk has just read comes from libgit2's object cache, neither inflated nor
    /// hashed again; parsing them (`SignedCommit(id:object:)`) needs no handle, so it can run
    /// on any thread.
    public func rawCommit(_ id: ObjectID) throws(GitError) -> [UInt8] {
        try rawObject(id, expecting: GIT_OBJECT_COMMIT)
    }

    /// The annotated tag `id`, its signature cut from the end of its message as git does.
    public func signedTag(_ id: ObjectID) throws(GitError) -> SignedTag {
        let raw = try rawObject(id, expecting: GIT_OBJECT_TAG)
        var oid = id.raw
        var tag: OpaquePointer?
        try check("read tag \(id)", git_tag_lookup(&tag, pointer, &oid))
        defer { git_tag_free(tag) }
        let tagger = git_tag_tagger(tag)?.pointee
        let targetType = String(cString: git_object_type2string(git_tag_target_type(tag)))
        let split = SignedPayload.tag(raw)
        guard let target = git_tag_target_id(tag)?.pointee else {
            throw GitError(operation: "read tag \(id)", code: GIT_EINVALID.rawValue, message: "the tag names no target")
        }
        return SignedTag(
            id: id,
            name: git_tag_name(tag).map { String(cString: $0) } ?? "",
            target: ObjectID(target),
            targetType: targetType,
            signature: split.signature,
            signedPayload: split.payload,
            payloadProblem: split.problem,
            taggerEmail: tagger.map { String(cString: $0.email) },
            taggerTime: tagger.map { Int($0.when.time) }
        )
    }

    /// What kind of object `id` is: "commit", "tag", "tree" or "blob".
    public func objectType(_ id: ObjectID) throws(GitError) -> String {
        var oid = id.raw
        var object: OpaquePointer?
        try check("read object \(id)", git_object_lookup(&object, pointer, &oid, GIT_OBJECT_ANY))
        defer { git_object_free(object) }
        return String(cString: git_object_type2string(git_object_type(object)))
    }

    /// The object's bytes exactly as stored (without the `type size\0` header).
    public func rawObject(_ id: ObjectID) throws(GitError) -> [UInt8] {
        try rawObject(id, expecting: nil)
    }

    private func rawObject(_ id: ObjectID, expecting type: git_object_t?) throws(GitError) -> [UInt8] {
        var odb: OpaquePointer?
        try check("open object database", git_repository_odb(&odb, pointer))
        defer { git_odb_free(odb) }
        var oid = id.raw
        var object: OpaquePointer?
        try check("read object \(id)", git_odb_read(&object, odb, &oid))
        defer { git_odb_object_free(object) }
        if let type, git_odb_object_type(object) != type {
            throw GitError(operation: "read \(String(cString: git_object_type2string(type))) \(id)", code: GIT_EINVALIDSPEC.rawValue,
                           message: "object is a \(String(cString: git_object_type2string(git_odb_object_type(object))))")
        }
        let size = git_odb_object_size(object)
        guard let data = git_odb_object_data(object) else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: size))
    }

    static func bytes(of buffer: git_buf) -> [UInt8] {
        guard let start = buffer.ptr else { return [] }
        return Array(UnsafeRawBufferPointer(start: start, count: buffer.size))
    }

    static func trailers(of message: String) -> [Trailer] {
        var array = git_message_trailer_array()
        guard git_message_trailers(&array, message) == 0 else { return [] }
        defer { git_message_trailer_array_free(&array) }
        return (0..<array.count).map { index in
            let trailer = array.trailers[index]
            return Trailer(key: String(cString: trailer.key), value: String(cString: trailer.value))
        }
    }
}
