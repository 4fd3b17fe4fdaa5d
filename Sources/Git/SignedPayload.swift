/// The bytes a signature on a git object covers, cut from the object exactly as git cuts
/// them (commit.c `parse_signed_commit`, gpg-interface.c `parse_signed_buffer`), and
/// refused wherever git, libgit2 and a signer could read the same bytes differently: a
/// verdict must never hold for an object id the signer did not sign.
///
/// Pure Swift over bytes (no libgit2), so the fuzzer builds it with the signature parsers.
public struct SignedPayload: Sendable, Equatable {
    /// What the signature covers: the object without its signature.
    public let payload: [UInt8]
    /// The signature as the signer wrote it (continuation spaces removed); nil: unsigned.
    public let signature: [UInt8]?
    /// Why the object is not one git would call signed by this signature; nil when it is.
    public let problem: String?

    /// The signature header a repository's objects carry: git signs with the header named
    /// for the repository's own hash (SHA-1: `gpgsig`, SHA-256: `gpgsig-sha256`).
    public enum HashKind: Sendable {
        case sha1
        case sha256

        var signatureHeader: [UInt8] { self == .sha1 ? Array("gpgsig".utf8) : Array("gpgsig-sha256".utf8) }
        var hexDigits: Int { self == .sha1 ? 40 : 64 }
    }

    static let signatureLabels = ["PGP SIGNATURE", "SSH SIGNATURE", "SIGNED MESSAGE", "PGP MESSAGE"]

    /// A commit object: the one signature header of the repository's hash kind and its
    /// continuation lines are the signature; every other byte is the payload. One pass over
    /// the bytes with slices, no copy per line: thousands of commits are cut per second.
    public static func commit(_ raw: [UInt8], hashKind: HashKind = .sha1) -> SignedPayload {
        if let nul = raw.firstIndex(of: 0) {
            return SignedPayload(payload: raw, signature: nil, problem: "the commit object holds a NUL byte at offset \(nul); git does not sign such objects")
        }
        let header = hashKind.signatureHeader
        let signaturePrefix = Array("gpgsig".utf8)
        var payload: [UInt8] = []
        payload.reserveCapacity(raw.count)
        var signature: [UInt8] = []
        var signatureHeaders = 0
        var inSignature = false
        var problem: String?
        var headers: [(name: ArraySlice<UInt8>, line: ArraySlice<UInt8>)] = []
        var start = raw.startIndex
        while start < raw.endIndex {
            let end = raw[start...].firstIndex(of: 0x0a).map { $0 + 1 } ?? raw.endIndex
            let line = raw[start..<end]
            if raw[start] == 0x0a {
                payload.append(contentsOf: raw[start...])
                break
            }
            if raw[start] == 0x20 {
                if inSignature { signature.append(contentsOf: line.dropFirst()) } else { payload.append(contentsOf: line) }
                start = end
                continue
            }
            inSignature = false
            let name = line.prefix { $0 != 0x20 && $0 != 0x0a }
            // git takes a line as the signature header only when a space follows the name
            // (`gpgsig\n` is payload to git, and so are the continuation lines after it).
            if name.elementsEqual(header), line.dropFirst(name.count).first == 0x20 {
                signatureHeaders += 1
                inSignature = true
                signature.append(contentsOf: line.dropFirst(name.count + 1))
            } else {
                if name.elementsEqual(header) {
                    problem = problem ?? "the commit's \(String(decoding: header, as: UTF8.self)) line has no space after its name; git reads it as signed text, not a signature"
                } else if name.starts(with: signaturePrefix) {
                    problem = problem ?? "the commit carries a \(String(decoding: name, as: UTF8.self)) header, not this repository's \(String(decoding: header, as: UTF8.self))"
                }
                headers.append((name, line))
                payload.append(contentsOf: line)
            }
            start = end
        }
        problem = problem ?? commitHeaderProblem(headers, hashKind: hashKind)
        if signatureHeaders > 1 {
            problem = problem ?? "the commit carries \(signatureHeaders) \(String(decoding: header, as: UTF8.self)) headers; git signs with one"
        }
        guard signatureHeaders > 0 else { return SignedPayload(payload: payload, signature: nil, problem: problem) }
        problem = problem ?? armorProblem(signature)
        return SignedPayload(payload: payload, signature: signature, problem: problem)
    }

    /// An annotated tag: the signature is appended to the message, from the last line that
    /// opens a signature to the end (as git reads it); a second block, a NUL, a signature
    /// header or anything after the armor's end is refused.
    public static func tag(_ raw: [UInt8], hashKind: HashKind = .sha1) -> SignedPayload {
        if let nul = raw.firstIndex(of: 0) {
            return SignedPayload(payload: raw, signature: nil, problem: "the tag object holds a NUL byte at offset \(nul); git does not sign such objects")
        }
        var offset = 0
        var starts: [Int] = []
        var problem: String?
        var inHeaders = true
        var headerNames: [[UInt8]] = []
        for line in Self.lines(raw) {
            if inHeaders {
                if line.elementsEqual([0x0a]) {
                    inHeaders = false
                } else if line.first != 0x20 {
                    headerNames.append(Array(line.prefix { $0 != 0x20 && $0 != 0x0a }))
                }
            }
            if Self.opensSignature(line) { starts.append(offset) }
            offset += line.count
        }
        if headerNames.contains(where: { $0.starts(with: Array("gpgsig".utf8)) }) {
            problem = "the tag carries a signature header; Capstan reads only the signature appended to a tag's message"
        }
        let expected: [[UInt8]] = ["object", "type", "tag"].map { Array($0.utf8) }
        if Array(headerNames.prefix(3)) != expected {
            problem = problem ?? "the tag's headers do not start with object, type and tag"
        }
        guard let start = starts.last else { return SignedPayload(payload: raw, signature: nil, problem: problem) }
        let payload = Array(raw[..<start])
        let signature = Array(raw[start...])
        if starts.count > 1 {
            problem = problem ?? "the tag holds \(starts.count) signature blocks; git checks only the last, so the others would be signed text"
        }
        problem = problem ?? armorProblem(signature)
        return SignedPayload(payload: payload, signature: signature, problem: problem)
    }

    /// Git's commit header order: tree, parents, author, committer, then anything else
    /// once each (git reads the first of a repeated header; a signer may have seen another).
    private static func commitHeaderProblem(_ headers: [(name: ArraySlice<UInt8>, line: ArraySlice<UInt8>)], hashKind: HashKind) -> String? {
        let tree = Array("tree".utf8), parent = Array("parent".utf8), author = Array("author".utf8), committer = Array("committer".utf8)
        guard let first = headers.first, first.name.elementsEqual(tree), isObjectLine(first.line, name: tree, hashKind: hashKind) else {
            return "the commit does not start with a tree header"
        }
        var position = 1
        while position < headers.count, headers[position].name.elementsEqual(parent) {
            guard isObjectLine(headers[position].line, name: parent, hashKind: hashKind) else { return "a parent header does not name an object id" }
            position += 1
        }
        guard headers.count > position + 1, headers[position].name.elementsEqual(author), headers[position + 1].name.elementsEqual(committer) else {
            return "the commit's headers are not tree, parents, author, committer in git's order"
        }
        for later in headers.dropFirst(position + 2) {
            for once in [tree, parent, author, committer] where later.name.elementsEqual(once) {
                return "the commit repeats its \(String(decoding: once, as: UTF8.self)) header after the committer"
            }
        }
        return nil
    }

    private static func isObjectLine(_ line: ArraySlice<UInt8>, name: [UInt8], hashKind: HashKind) -> Bool {
        guard line.count == name.count + 1 + hashKind.hexDigits + 1, line.last == 0x0a, line.dropFirst(name.count).first == 0x20 else { return false }
        return line.dropFirst(name.count + 1).dropLast().allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Nil when `signature` is one armored block, from its BEGIN line to its END line and a
    /// final newline at most; otherwise why not.
    static func armorProblem(_ signature: [UInt8]) -> String? {
        let lines = Self.lines(signature)
        guard let first = lines.first, let label = Self.label(first, opening: true) else {
            return "the signature does not start with an armor BEGIN line"
        }
        let opening = lines.filter { Self.label($0, opening: true) != nil }.count
        guard opening == 1 else { return "the signature holds \(opening) armor blocks" }
        // OpenPGP armor (RFC 4880 §6.2): header lines, then a blank line before the data.
        // gpg calls the first data line an invalid header without it, and git says bad.
        if label.starts(with: Array("PGP ".utf8)) {
            let afterHeaders = lines.dropFirst().drop { $0.contains(0x3a) && !isBlank($0) }
            guard let blank = afterHeaders.first, isBlank(blank) else {
                return "the signature's OpenPGP armor has no blank line after its BEGIN line and headers"
            }
        }
        guard let endIndex = lines.firstIndex(where: { Self.label($0, opening: false) != nil }) else {
            return "the signature's armor has no END line"
        }
        guard Self.label(lines[endIndex], opening: false)?.elementsEqual(label) == true else {
            return "the signature's armor END line does not match its BEGIN line"
        }
        // GitHub ends its signatures with an empty continuation line; gpg and ssh-keygen
        // ignore blank lines after the armor, but nothing else may follow it.
        guard lines.dropFirst(endIndex + 1).allSatisfy(isBlank) else {
            return "bytes follow the end of the signature's armor"
        }
        return nil
    }

    /// A line of spaces, tabs and line ends only.
    private static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0d || $0 == 0x0a }
    }

    private static let signatureLabelBytes = signatureLabels.map { Array($0.utf8) }

    private static func opensSignature(_ line: ArraySlice<UInt8>) -> Bool {
        guard let label = label(line, opening: true) else { return false }
        return signatureLabelBytes.contains { label.elementsEqual($0) }
    }

    private static let beginPrefix = Array("-----BEGIN ".utf8)
    private static let endPrefix = Array("-----END ".utf8)
    private static let dashes = Array("-----".utf8)

    /// The label of a `-----BEGIN LABEL-----` (or END) line, without its newline.
    private static func label(_ line: ArraySlice<UInt8>, opening: Bool) -> ArraySlice<UInt8>? {
        let text = line.last == 0x0a ? line.dropLast() : line
        let prefix = opening ? beginPrefix : endPrefix
        guard text.count > prefix.count + dashes.count, text.starts(with: prefix), text.suffix(dashes.count).elementsEqual(dashes) else { return nil }
        return text.dropFirst(prefix.count).dropLast(dashes.count)
    }

    /// The object's lines, each with its newline (the last may lack one), as slices.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: 0x0a).map { $0 + 1 } ?? bytes.endIndex
            lines.append(bytes[start..<end])
            start = end
        }
        return lines
    }
}
