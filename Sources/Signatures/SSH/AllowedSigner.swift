import Foundation

/// One trusted SSH key with the conditions git's `gpg.ssh.allowedSignersFile` format
/// (ssh-keygen ALLOWED SIGNERS) attaches: principals, namespaces, validity window.
public struct AllowedSigner: Sendable {
    public let key: SSHPublicKey
    /// Principal patterns (`*`, `?`, leading `!` negates); empty for a bare public key file.
    public let principals: [String]
    /// Namespaces the key may sign for; nil: any.
    public let namespaces: [String]?
    /// Seconds since 1970 (UTC).
    public let validAfter: Int?
    public let validBefore: Int?

    public init(key: SSHPublicKey, principals: [String] = [], namespaces: [String]? = nil, validAfter: Int? = nil, validBefore: Int? = nil) {
        self.key = key
        self.principals = principals
        self.namespaces = namespaces
        self.validAfter = validAfter
        self.validBefore = validBefore
    }

    /// Every signer in an allowed_signers file; `path` names the file in errors.
    public static func parseFile(_ text: String, path: String) throws(SignatureError) -> [AllowedSigner] {
        var signers: [AllowedSigner] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do throws(SignatureError) {
                signers.append(try parseLine(line))
            } catch {
                throw .keyFile(path: "\(path):\(number + 1)", reason: error.description)
            }
        }
        return signers
    }

    static func parseLine(_ line: String) throws(SignatureError) -> AllowedSigner {
        var tokens = tokenize(line)[...]
        guard let principalField = tokens.popFirst() else { throw .malformed(what: "allowed signers line", reason: "empty") }
        var namespaces: [String]?
        var validAfter: Int?
        var validBefore: Int?
        if let next = tokens.first, !isKeyType(next) {
            tokens = tokens.dropFirst()
            for option in splitOptions(next) where !option.isEmpty {
                let parts = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let name = parts[0].lowercased()
                let value = parts.count > 1 ? unquote(parts[1]) : ""
                switch name {
                case "namespaces": namespaces = value.split(separator: ",").map { String($0) }
                case "valid-after": validAfter = try parseTime(value)
                case "valid-before": validBefore = try parseTime(value)
                case "cert-authority": throw .unsupported("cert-authority lines (SSH certificates)")
                default: throw .malformed(what: "allowed signers line", reason: "unknown option \(name)")
                }
            }
        }
        guard tokens.count >= 2 else { throw .malformed(what: "allowed signers line", reason: "expected PRINCIPALS [OPTIONS] TYPE BASE64") }
        let key = try SSHPublicKey(line: tokens.joined(separator: " "))
        let principals = unquote(principalField).split(separator: ",").map { String($0) }
        return AllowedSigner(key: key, principals: principals, namespaces: namespaces, validAfter: validAfter, validBefore: validBefore)
    }

    private static func isKeyType(_ token: String) -> Bool {
        token.hasPrefix("ssh-") || token.hasPrefix("ecdsa-") || token.hasPrefix("sk-")
    }

    /// Whitespace-separated tokens, where double quotes protect spaces.
    private static func tokenize(_ line: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if character == "\"" { quoted.toggle(); current.append(character); continue }
            if !quoted, character == " " || character == "\t" {
                if !current.isEmpty { tokens.append(current); current = "" }
                continue
            }
            current.append(character)
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// Comma-separated options, where double quotes protect commas.
    private static func splitOptions(_ text: String) -> [String] {
        var options: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == ",", !quoted { options.append(current); current = ""; continue }
            current.append(character)
        }
        if !current.isEmpty { options.append(current) }
        return options
    }

    private static func unquote(_ text: String) -> String {
        text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") ? String(text.dropFirst().dropLast()) : text
    }

    /// `YYYYMMDD[HHMM[SS]][Z]`, read as UTC.
    static func parseTime(_ text: String) throws(SignatureError) -> Int {
        let digits = text.hasSuffix("Z") || text.hasSuffix("z") ? String(text.dropLast()) : text
        guard [8, 12, 14].contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            throw .malformed(what: "allowed signers time", reason: "\(text) is not YYYYMMDD[HHMM[SS]][Z]")
        }
        let value = Array(digits)
        func number(_ start: Int, _ count: Int) -> Int32 { Int32(String(value[start..<(start + count)]))! }
        var parts = tm()
        parts.tm_year = number(0, 4) - 1900
        parts.tm_mon = number(4, 2) - 1
        parts.tm_mday = number(6, 2)
        if value.count >= 12 { parts.tm_hour = number(8, 2); parts.tm_min = number(10, 2) }
        if value.count == 14 { parts.tm_sec = number(12, 2) }
        return Int(timegm(&parts))
    }

    /// True when `identity` (an e-mail) matches the principal patterns.
    public func matches(principal identity: String) -> Bool {
        PrincipalPattern.matches(identity.lowercased(), patterns: principals.map { $0.lowercased() })
    }
}

/// OpenSSH's pattern lists: comma-separated globs with `*` and `?`; a match of a `!`
/// pattern vetoes the whole list.
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
