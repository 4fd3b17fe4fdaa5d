import Foundation

/// One trusted SSH key with the conditions git's `gpg.ssh.allowedSignersFile` format
/// (ssh-keygen(1) ALLOWED SIGNERS) attaches: principals, namespaces, validity window,
/// and whether the key is trusted only as a certificate authority.
///
/// Lines are read exactly as OpenSSH 9.2's sshsig.c reads them; a line ssh-keygen would
/// skip (an unknown option, an unquoted value, a time it cannot read) is unusable here
/// too: its key is not trusted, never trusted without its restrictions.
public struct AllowedSigner: Sendable {
    public let key: SSHPublicKey
    /// Principal patterns (`*`, `?`, leading `!` negates); empty for a bare public key file.
    public let principals: [String]
    /// Namespace patterns the key may sign for; nil: any.
    public let namespaces: [String]?
    /// Seconds since 1970 (UTC).
    public let validAfter: Int?
    public let validBefore: Int?
    /// `cert-authority`: the key signs SSH certificates; a plain signature by it is not trusted.
    public let certificateAuthority: Bool

    public init(key: SSHPublicKey, principals: [String] = [], namespaces: [String]? = nil, validAfter: Int? = nil,
                validBefore: Int? = nil, certificateAuthority: Bool = false) {
        self.key = key
        self.principals = principals
        self.namespaces = namespaces
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.certificateAuthority = certificateAuthority
    }

    /// Every usable signer in an allowed_signers file, and `path:line: why` for each line
    /// that cannot be used (its key is not trusted).
    public static func parseFile(_ text: String, path: String) -> (signers: [AllowedSigner], unusable: [String]) {
        var signers: [AllowedSigner] = []
        var unusable: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            do throws(SignatureError) {
                if let signer = try parseLine(String(line)) { signers.append(signer) }
            } catch {
                unusable.append("\(path):\(number + 1): \(error.description); the key on this line is not trusted")
            }
        }
        return (signers, unusable)
    }

    /// One line (`PRINCIPALS [OPTIONS] KEYTYPE BASE64 [COMMENT]`); nil for blank and comment lines.
    static func parseLine(_ text: String) throws(SignatureError) -> AllowedSigner? {
        var line = Substring(text)
        while let first = line.first, Self.whitespace.contains(first) { line = line.dropFirst() }
        guard let first = line.first, first != "#" else { return nil }
        guard let (principalField, afterPrincipals) = Self.delimitedToken(line) else {
            throw .malformed(what: "allowed signers line", reason: "expected PRINCIPALS [OPTIONS] KEY")
        }
        var rest = afterPrincipals
        var options = AllowedSignerOptions()
        var key = try? Self.readKey(rest)
        if key == nil {
            let end = try Self.endOfOptions(rest)
            let optionText = rest[..<end]
            rest = rest[end...]
            while let space = rest.first, Self.whitespace.contains(space) { rest = rest.dropFirst() }
            guard !rest.isEmpty else { throw .malformed(what: "allowed signers line", reason: "missing key") }
            options = try AllowedSignerOptions(parsing: optionText)
            key = try Self.readKey(rest)
        }
        guard let key else { throw .malformed(what: "allowed signers line", reason: "invalid key") }
        let principals = principalField.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return AllowedSigner(key: key, principals: principals, namespaces: options.namespaces, validAfter: options.validAfter,
                             validBefore: options.validBefore, certificateAuthority: options.certificateAuthority)
    }

    static let whitespace: Set<Character> = [" ", "\t", "\r", "\n"]

    /// OpenSSH's `strdelimw`: a token ends at whitespace or at a quote; a quote is dropped and
    /// the token runs to the next quote. Returns the token and what follows the spaces after it.
    private static func delimitedToken(_ line: Substring) -> (String, Substring)? {
        guard let stop = line.firstIndex(where: { whitespace.contains($0) || $0 == "\"" }) else { return nil }
        if line[stop] == "\"" {
            let afterQuote = line[line.index(after: stop)...]
            guard let close = afterQuote.firstIndex(of: "\"") else { return nil }
            let token = String(line[..<stop]) + String(afterQuote[..<close])
            var rest = afterQuote[afterQuote.index(after: close)...]
            while let first = rest.first, whitespace.contains(first) { rest = rest.dropFirst() }
            return (token, rest)
        }
        var rest = line[line.index(after: stop)...]
        while let first = rest.first, whitespace.contains(first) { rest = rest.dropFirst() }
        return (String(line[..<stop]), rest)
    }

    /// `sshkey_read`: `KEYTYPE BASE64` at the start of `text`.
    private static func readKey(_ text: Substring) throws(SignatureError) -> SSHPublicKey {
        let fields = text.split(whereSeparator: { whitespace.contains($0) }).prefix(2)
        guard fields.count == 2 else { throw .malformed(what: "SSH public key", reason: "expected KEYTYPE BASE64") }
        return try SSHPublicKey(line: fields.joined(separator: " "))
    }

    /// `sshkey_advance_past_options`: the options end at the first space or tab outside quotes.
    private static func endOfOptions(_ text: Substring) throws(SignatureError) -> Substring.Index {
        var quoted = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if !quoted, character == " " || character == "\t" { break }
            if character == "\\", text.index(after: index) < text.endIndex, text[text.index(after: index)] == "\"" {
                index = text.index(after: index)
            } else if character == "\"" {
                quoted.toggle()
            }
            index = text.index(after: index)
        }
        if quoted, index == text.endIndex { throw .malformed(what: "allowed signers options", reason: "unterminated quote") }
        return index
    }

    /// True when `identity` (an e-mail) matches the principal patterns, as OpenSSH's
    /// `match_pattern_list` does (case-sensitive; a matching `!` pattern vetoes).
    public func matches(principal identity: String) -> Bool {
        PrincipalPattern.matches(identity, patterns: principals)
    }

    /// Whether ssh-keygen could name a principal for this line: git asks `find-principals`
    /// for the line's principals and then verifies with each; a principal the line's own
    /// patterns refuse (a list of negations only) leaves the line trusting nobody.
    var namesAPrincipal: Bool {
        guard !principals.isEmpty else { return true }
        let listed = principals.prefix { !$0.isEmpty }
        return listed.contains { PrincipalPattern.matches($0, patterns: principals) }
    }
}

/// OpenSSH's pattern lists (`match_pattern_list`): globs with `*` and `?`; a match of a
/// `!` pattern vetoes the whole list.
enum PrincipalPattern {
    static func matches(_ text: String, patterns: [String]) -> Bool {
        var matched = false
        for pattern in patterns {
            if pattern.hasPrefix("!") {
                if glob(Array(text), Array(pattern.dropFirst())) { return false }
            } else if glob(Array(text), Array(pattern)) {
                matched = true
            }
        }
        return matched
    }

    static func glob(_ text: [Character], _ pattern: [Character]) -> Bool {
        var t = 0, p = 0, starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                t += 1; p += 1
            } else if p < pattern.count, pattern[p] == "*" {
                starP = p; starT = t; p += 1
            } else if starP >= 0 {
                p = starP + 1; starT += 1; t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
