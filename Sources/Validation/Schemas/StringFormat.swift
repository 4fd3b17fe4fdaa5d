/// The `format` values these schemas use that can be checked. Unknown formats (`int32`,
/// `byte`, `url`) are annotations, as in every JSON Schema validator.
enum StringFormat: String, Sendable {
    case dateTime = "date-time"
    case date
    case ipv4
    case ipv6
    case duration
    case uuid

    /// Whether `text` is well formed; `nil` means it is.
    func problem(_ text: String) -> String? {
        let valid: Bool = switch self {
        case .dateTime: Self.isDateTime(Array(text.utf8))
        case .date: Self.isDate(Array(text.utf8)[...])
        case .ipv4: Self.isIPv4(text)
        case .ipv6: Self.isIPv6(text)
        case .duration: Self.isGoDuration(text) || Self.isISODuration(text)
        case .uuid: Self.isUUID(text)
        }
        return valid ? nil : "is not a valid \(rawValue)"
    }

    /// A short run of ASCII digits (at most 9, so the sum cannot overflow: every field read
    /// here has 4 digits or fewer, and a longer run from a manifest is simply not one).
    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9, bytes.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    static func isDate(_ bytes: ArraySlice<UInt8>) -> Bool {
        let b = Array(bytes)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let year = digits(b[0..<4]), let month = digits(b[5..<7]), let day = digits(b[8..<10]) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains(month) && day >= 1 && day <= days[month - 1]
    }

    /// RFC 3339: `2024-05-01T12:30:00Z`, fractions and offsets allowed.
    static func isDateTime(_ b: [UInt8]) -> Bool {
        guard b.count >= 20, isDate(b[0..<10]), b[10] | 0x20 == UInt8(ascii: "t") else { return false }
        guard b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), let hour = digits(b[11..<13]),
              let minute = digits(b[14..<16]), let second = digits(b[17..<19]), hour < 24, minute < 60, second <= 60 else { return false }
        var index = 19
        if b[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < b.count, (0x30...0x39).contains(b[index]) { index += 1 }
            if index == start { return false }
        }
        guard index < b.count else { return false }
        if b[index] | 0x20 == UInt8(ascii: "z") { return index + 1 == b.count }
        guard b[index] == UInt8(ascii: "+") || b[index] == UInt8(ascii: "-"), b.count == index + 6, b[index + 3] == UInt8(ascii: ":"),
              let offsetHour = digits(b[index + 1..<index + 3]), let offsetMinute = digits(b[index + 4..<index + 6]) else { return false }
        return offsetHour < 24 && offsetMinute < 60
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            guard let value = digits(ArraySlice(part.utf8)), part.count <= 3 else { return false }
            return value <= 255 && (part.count == 1 || part.first != "0")
        }
    }

    static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":"), !text.contains(":::") else { return false }
        var body = text
        var groupsWanted = 8
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard isIPv4(String(text[text.index(after: lastColon)...])) else { return false }
            body = String(text[...lastColon]) + "0"
            groupsWanted = 7
        }
        let halves = body.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        let groups = halves.map { $0.isEmpty ? [] : $0.split(separator: ":", omittingEmptySubsequences: false) }
        let count = groups.reduce(0) { $0 + $1.count }
        let wellFormed = groups.allSatisfy { $0.allSatisfy { !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isHexDigit) } }
        return wellFormed && (halves.count == 2 ? count < groupsWanted : count == groupsWanted)
    }

    static func isUUID(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [8, 4, 4, 4, 12] && parts.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// Go's time.ParseDuration: `300ms`, `-1.5h`, `2h45m`; units ns us µs ms s m h.
    static func isGoDuration(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        if rest == "0" { return true }
        guard !rest.isEmpty else { return false }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != "." else { return false }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard ["ns", "us", "µs", "μs", "ms", "s", "m", "h"].contains(unit) else { return false }
            rest = rest.dropFirst(unit.count)
        }
        return true
    }

    /// ISO 8601 durations (`P1DT2H`, `P3W`), which kubeconform also accepts.
    static func isISODuration(_ text: String) -> Bool {
        guard text.hasPrefix("P") else { return false }
        let body = text.dropFirst()
        guard !body.isEmpty else { return false }
        if body.hasSuffix("W") { return body.dropLast().allSatisfy(\.isNumber) && body.count > 1 }
        let halves = body.split(separator: "T", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return false }
        for (index, half) in halves.enumerated() {
            if index == 1 && half.isEmpty { return false }
            var units = index == 0 ? Array("YMD") : Array("HMS")
            var rest = half[...]
            while !rest.isEmpty {
                let number = rest.prefix(while: \.isNumber)
                guard !number.isEmpty else { return false }
                rest = rest.dropFirst(number.count)
                guard let unit = rest.first, let position = units.firstIndex(of: unit) else { return false }
                units = Array(units[(position + 1)...])
                rest = rest.dropFirst()
            }
        }
        return true
    }
}
