import Foundation

/// The options of an allowed_signers line, parsed as OpenSSH 9.2's `sshsigopt_parse`
/// parses them: `cert-authority`, `namespaces="…"`, `valid-after="…"`, `valid-before="…"`
/// (names case-insensitive, values quoted, each at most once); anything else is an error.
struct AllowedSignerOptions {
    var certificateAuthority = false
    var namespaces: [String]?
    var validAfter: Int?
    var validBefore: Int?

    init() {}

    init(parsing text: Substring) throws(SignatureError) {
        var rest = text
        func fail(_ reason: String) -> SignatureError { .malformed(what: "allowed signers options", reason: reason) }
        while let first = rest.first, first != " ", first != "\t" {
            if Self.takeFlag("cert-authority", from: &rest) {
                certificateAuthority = true
            } else if Self.takeName("namespaces", from: &rest) {
                guard namespaces == nil else { throw fail("multiple \"namespaces\" clauses") }
                namespaces = try Self.dequote(&rest).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            } else if Self.takeName("valid-after", from: &rest) {
                guard validAfter == nil else { throw fail("multiple \"valid-after\" clauses") }
                validAfter = try Self.time(try Self.dequote(&rest), name: "valid-after")
            } else if Self.takeName("valid-before", from: &rest) {
                guard validBefore == nil else { throw fail("multiple \"valid-before\" clauses") }
                validBefore = try Self.time(try Self.dequote(&rest), name: "valid-before")
            }
            guard let next = rest.first, next != " ", next != "\t" else { break }
            guard next == "," else { throw fail("unknown option at \"\(rest.prefix(24))\"") }
            rest = rest.dropFirst()
            guard !rest.isEmpty else { throw fail("unexpected end of options") }
        }
        if let validAfter, let validBefore, validBefore <= validAfter {
            throw fail("\"valid-before\" time is before \"valid-after\"")
        }
    }

    /// `opt_flag`: a case-insensitive prefix.
    private static func takeFlag(_ name: String, from text: inout Substring) -> Bool {
        guard text.count >= name.count, text.prefix(name.count).lowercased() == name else { return false }
        text = text.dropFirst(name.count)
        return true
    }

    /// `opt_match`: a case-insensitive name followed by `=`.
    private static func takeName(_ name: String, from text: inout Substring) -> Bool {
        guard text.count > name.count, text.prefix(name.count).lowercased() == name,
              text.dropFirst(name.count).first == "=" else { return false }
        text = text.dropFirst(name.count + 1)
        return true
    }

    /// `opt_dequote`: a value in double quotes, `\"` standing for a quote.
    private static func dequote(_ text: inout Substring) throws(SignatureError) -> String {
        guard text.first == "\"" else { throw .malformed(what: "allowed signers options", reason: "missing start quote") }
        var rest = text.dropFirst()
        var value = ""
        while let character = rest.first, character != "\"" {
            if character == "\\", rest.dropFirst().first == "\"" { rest = rest.dropFirst() }
            if let next = rest.first { value.append(next) }
            rest = rest.dropFirst()
        }
        guard rest.first == "\"" else { throw .malformed(what: "allowed signers options", reason: "missing end quote") }
        text = rest.dropFirst()
        return value
    }

    /// `parse_absolute_time`: YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, UTC with a `Z` or
    /// `UTC` suffix (any case), otherwise local time; zero is refused, as OpenSSH does.
    static func time(_ text: String, name: String) throws(SignatureError) -> Int {
        var digits = Array(text.utf8)
        var utc = false
        if digits.count > 1, let last = digits.last, last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") {
            utc = true
            digits.removeLast()
        } else if digits.count > 3, String(decoding: digits.suffix(3), as: UTF8.self).uppercased() == "UTC" {
            utc = true
            digits.removeLast(3)
        }
        func piece(_ start: Int, _ count: Int) -> String { String(decoding: digits.dropFirst(start).prefix(count), as: UTF8.self) }
        let (format, buffer): (String, String)
        switch digits.count {
        case 8: (format, buffer) = ("%Y-%m-%d", "\(piece(0, 4))-\(piece(4, 2))-\(piece(6, 2))")
        case 12: (format, buffer) = ("%Y-%m-%dT%H:%M", "\(piece(0, 4))-\(piece(4, 2))-\(piece(6, 2))T\(piece(8, 2)):\(piece(10, 2))")
        case 14: (format, buffer) = ("%Y-%m-%dT%H:%M:%S", "\(piece(0, 4))-\(piece(4, 2))-\(piece(6, 2))T\(piece(8, 2)):\(piece(10, 2)):\(piece(12, 2))")
        default: throw .malformed(what: "allowed signers option", reason: "invalid \"\(name)\" time \(text)")
        }
        guard var parts = Self.strptime(Array(buffer.utf8), Array(format.utf8)) else {
            throw .malformed(what: "allowed signers option", reason: "invalid \"\(name)\" time \(text)")
        }
        let seconds = utc ? timegm(&parts) : mktime(&parts)
        guard seconds > 0 else { throw .malformed(what: "allowed signers option", reason: "invalid \"\(name)\" time \(text)") }
        return Int(seconds)
    }

    /// glibc's `strptime` for the conversions `parse_absolute_time` uses: each number may
    /// follow spaces, takes at most its width in digits and must lie in its range; the
    /// whole buffer must be consumed.
    private static func strptime(_ buffer: [UInt8], _ format: [UInt8]) -> tm? {
        var parts = tm()
        var position = 0
        var formatIndex = 0
        func number(width: Int, range: ClosedRange<Int>) -> Int? {
            while position < buffer.count, buffer[position] == 0x20 || (0x09...0x0d).contains(buffer[position]) { position += 1 }
            var value = 0
            var digits = 0
            while position < buffer.count, digits < width, (0x30...0x39).contains(buffer[position]) {
                if digits > 0, value * 10 > range.upperBound { break }
                value = value * 10 + Int(buffer[position] - 0x30)
                digits += 1
                position += 1
            }
            return digits > 0 && range.contains(value) ? value : nil
        }
        while formatIndex < format.count {
            let character = format[formatIndex]
            formatIndex += 1
            guard character == UInt8(ascii: "%"), formatIndex < format.count else {
                guard position < buffer.count, buffer[position] == character else { return nil }
                position += 1
                continue
            }
            let conversion = format[formatIndex]
            formatIndex += 1
            switch conversion {
            case UInt8(ascii: "Y"): guard let value = number(width: 4, range: 0...9999) else { return nil }; parts.tm_year = Int32(value - 1900)
            case UInt8(ascii: "m"): guard let value = number(width: 2, range: 1...12) else { return nil }; parts.tm_mon = Int32(value - 1)
            case UInt8(ascii: "d"): guard let value = number(width: 2, range: 1...31) else { return nil }; parts.tm_mday = Int32(value)
            case UInt8(ascii: "H"): guard let value = number(width: 2, range: 0...23) else { return nil }; parts.tm_hour = Int32(value)
            case UInt8(ascii: "M"): guard let value = number(width: 2, range: 0...59) else { return nil }; parts.tm_min = Int32(value)
            case UInt8(ascii: "S"): guard let value = number(width: 2, range: 0...61) else { return nil }; parts.tm_sec = Int32(value)
            default: return nil
            }
        }
        return position == buffer.count ? parts : nil
    }
}
