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
    /// continuation lines are the signature; every other byte is the payload.
    public static func commit(_ raw: [UInt8], hashKind: HashKind = .sha1) -> SignedPayload {
        if let nul = raw.firstIndex(of: 0) {
            return SignedPayload(payload: raw, signature: nil, problem: "the commit object holds a NUL byte at offset \(nul); git does not sign such objects")
        }
        let lines = Self.lines(raw)
        var payload: [UInt8] = []
        payload.reserveCapacity(raw.count)
        var signature: [UInt8] = []
        var signatureHeaders = 0
        var inSignature = false
        var problem: String?
        var headerNames: [[UInt8]] = []
        var headersEnded = false
        for line in lines {
            if headersEnded {
                payload += line
                continue
            }
            if line == [0x0a] {
                headersEnded = true
                payload += line
                continue
            }
            if line.first == 0x20 {
                if inSignature { signature += line.dropFirst() } else { payload += line }
                continue
            }
            inSignature = false
            let name = Array(line.prefix { $0 != 0x20 && $0 != 0x0a })
            if name == hashKind.signatureHeader, line.count > name.count {
                signatureHeaders += 1
                inSignature = true
                signature += line.dropFirst(name.count + 1)
                continue
            }
            if name.starts(with: Array("gpgsig".utf8)) {
                problem = problem ?? "the commit carries a \(String(decoding: name, as: UTF8.self)) header, not this repository's \(String(decoding: hashKind.signatureHeader, as: UTF8.self))"
            }
            headerNames.append(name)
            payload += line
        }
        problem = problem ?? commitHeaderProblem(headerNames, lines: lines, hashKind: hashKind)
        if signatureHeaders > 1 {
            problem = problem ?? "the commit carries \(signatureHeaders) \(String(decoding: hashKind.signatureHeader, as: UTF8.self)) headers; git signs with one"
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
                if line == [0x0a] {
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
    private static func commitHeaderProblem(_ names: [[UInt8]], lines: [[UInt8]], hashKind: HashKind) -> String? {
        let tree = Array("tree".utf8), parent = Array("parent".utf8), author = Array("author".utf8), committer = Array("committer".utf8)
        guard let first = lines.first, names.first == tree, isObjectLine(first, name: tree, hashKind: hashKind) else {
            return "the commit does not start with a tree header"
        }
        var position = 1
        while position < names.count, names[position] == parent { position += 1 }
        let parentLines = lines.dropFirst().prefix(position - 1)
        guard parentLines.allSatisfy({ isObjectLine($0, name: parent, hashKind: hashKind) }) else {
            return "a parent header does not name an object id"
        }
        guard names.count > position + 1, names[position] == author, names[position + 1] == committer else {
            return "the commit's headers are not tree, parents, author, committer in git's order"
        }
        for once in [tree, parent, author, committer] {
            let after = names.dropFirst(position + 2)
            if after.contains(once) { return "the commit repeats its \(String(decoding: once, as: UTF8.self)) header after the committer" }
        }
        return nil
    }

    private static func isObjectLine(_ line: [UInt8], name: [UInt8], hashKind: HashKind) -> Bool {
        let value = line.dropFirst(name.count + 1).filter { $0 != 0x0a }
        return line.count == name.count + 1 + hashKind.hexDigits + 1 && line.last == 0x0a && line.dropFirst(name.count).first == 0x20
            && value.count == hashKind.hexDigits && value.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
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
        guard let endIndex = lines.firstIndex(where: { Self.label($0, opening: false) != nil }) else {
            return "the signature's armor has no END line"
        }
        guard Self.label(lines[endIndex], opening: false) == label else { return "the signature's armor END line does not match its BEGIN line" }
        // GitHub ends its signatures with an empty continuation line; gpg and ssh-keygen
        // ignore blank lines after the armor, but nothing else may follow it.
        let blank: Set<UInt8> = [0x20, 0x09, 0x0d, 0x0a]
        guard lines.dropFirst(endIndex + 1).allSatisfy({ $0.allSatisfy(blank.contains) }) else {
            return "bytes follow the end of the signature's armor"
        }
        return nil
    }

    private static func opensSignature(_ line: [UInt8]) -> Bool {
        guard let label = label(line, opening: true) else { return false }
        return signatureLabels.contains(label)
    }

    /// The label of a `-----BEGIN LABEL-----` (or END) line, without its newline.
    private static func label(_ line: [UInt8], opening: Bool) -> String? {
        let text = line.last == 0x0a ? line.dropLast() : line[...]
        let prefix = Array((opening ? "-----BEGIN " : "-----END ").utf8)
        let suffix = Array("-----".utf8)
        guard text.count > prefix.count + suffix.count, text.starts(with: prefix), text.suffix(suffix.count).elementsEqual(suffix) else { return nil }
        return String(decoding: text.dropFirst(prefix.count).dropLast(suffix.count), as: UTF8.self)
    }

    /// The object's lines, each with its newline (the last may lack one).
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: 0x0a).map { $0 + 1 } ?? bytes.endIndex
            lines.append(Array(bytes[start..<end]))
            start = end
        }
        return lines
    }
}
