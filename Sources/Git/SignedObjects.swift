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
    public let committerName: String
    public let committerEmail: String
    /// Seconds since 1970.
    public let committerTime: Int
    public let parents: [ObjectID]
    public let summary: String
    public let message: String

    public var isMerge: Bool { parents.count > 1 }

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
    public let taggerEmail: String?
    public let taggerTime: Int?
}

extension Repository {
    /// The commit `id` with its signature split from the signed bytes (`git_commit_extract_signature`).
    public func signedCommit(_ id: ObjectID) throws(GitError) -> SignedCommit {
        var oid = id.raw
        var signature = git_buf()
        var signed = git_buf()
        defer {
            git_buf_dispose(&signature)
            git_buf_dispose(&signed)
        }
        let result = git_commit_extract_signature(&signature, &signed, pointer, &oid, nil)
        let signatureBytes: [UInt8]?
        let payload: [UInt8]
        if result == GIT_ENOTFOUND.rawValue {
            signatureBytes = nil
            payload = try rawObject(id, expecting: GIT_OBJECT_COMMIT)
        } else {
            try check("extract signature of \(id)", result)
            signatureBytes = Self.bytes(of: signature)
            payload = Self.bytes(of: signed)
        }
        let text = CommitText(payload)
        return SignedCommit(
            id: id,
            signature: signatureBytes,
            signedPayload: payload,
            committerName: text.committerName,
            committerEmail: text.committerEmail,
            committerTime: text.committerTime,
            parents: text.parents,
            summary: text.summary,
            message: text.message
        )
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
        let (payload, signature) = Self.splitAppendedSignature(raw)
        return SignedTag(
            id: id,
            name: git_tag_name(tag).map { String(cString: $0) } ?? "",
            target: ObjectID(git_tag_target_id(tag)!.pointee),
            targetType: targetType,
            signature: signature,
            signedPayload: payload,
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

    /// Splits a tag object at the first line that opens an OpenPGP or SSH signature.
    static func splitAppendedSignature(_ raw: [UInt8]) -> (payload: [UInt8], signature: [UInt8]?) {
        let markers = ["-----BEGIN PGP SIGNATURE-----", "-----BEGIN SSH SIGNATURE-----", "-----BEGIN SIGNED MESSAGE-----"].map { Array($0.utf8) }
        var lineStart = 0
        while lineStart < raw.count {
            for marker in markers where raw.count - lineStart >= marker.count && Array(raw[lineStart..<(lineStart + marker.count)]) == marker {
                return (Array(raw[..<lineStart]), Array(raw[lineStart...]))
            }
            guard let newline = raw[lineStart...].firstIndex(of: 0x0a) else { break }
            lineStart = newline + 1
        }
        return (raw, nil)
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
