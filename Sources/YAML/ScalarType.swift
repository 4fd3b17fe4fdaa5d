/// The type a YAML reader gives a scalar. Resolution is deliberately the union of YAML 1.1
/// (what many Kubernetes tools still use: `yes`, `0755`, `1:20`, timestamps) and YAML 1.2
/// (`1e3`, `0o17`): a plain scalar any common reader would not read as a string counts
/// as not a string, so edits quote it.
public enum ScalarType: String, Sendable {
    case string, int, float, bool, null, timestamp, merge

    /// The type of plain scalar `text`.
    public static func resolvePlain(_ text: String) -> ScalarType {
        if text.isEmpty { return .null }
        let bytes = Array(text.utf8)
        guard let first = bytes.first else { return .null }
        // Fast exit: most strings start with a letter that no special form starts with.
        let letters = "yYnNtTfFoO"
        if first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") || first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z") {
            if !letters.utf8.contains(first) { return .string }
        }
        switch text {
        case "~", "null", "Null", "NULL": return .null
        case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
             "on", "On", "ON", "off", "Off", "OFF":
            return .bool
        case "<<", "=": return .merge
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            return .float
        default: break
        }
        if isInteger(bytes) { return .int }
        if isFloat(bytes) { return .float }
        if isTimestamp(bytes) { return .timestamp }
        return .string
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isInteger(_ all: [UInt8]) -> Bool {
        var bytes = all[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        guard let first = bytes.first, isDigit(first) else { return false }
        let rest = bytes.dropFirst(2)
        if bytes.count > 2, first == UInt8(ascii: "0") {
            switch bytes[bytes.startIndex + 1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                return rest.allSatisfy { isDigit($0) || $0 == 0x5F || (0x61...0x66).contains($0 | 0x20) }
            case UInt8(ascii: "o"), UInt8(ascii: "O"):
                return rest.allSatisfy { (0x30...0x37).contains($0) || $0 == 0x5F }
            case UInt8(ascii: "b"), UInt8(ascii: "B"):
                return rest.allSatisfy { $0 == 0x30 || $0 == 0x31 || $0 == 0x5F }
            default: break
            }
        }
        // Decimal, octal (0755) and underscores (1_000) all read as integers somewhere.
        if bytes.allSatisfy({ isDigit($0) || $0 == 0x5F }) { return true }
        // Sexagesimal (YAML 1.1): 1:20, 190:20:30.
        let groups = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        if groups.count > 1, groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy { isDigit($0) || $0 == 0x5F } }) {
            return groups.dropFirst().allSatisfy { $0.count <= 2 }
        }
        return false
    }

    private static func isFloat(_ all: [UInt8]) -> Bool {
        var bytes = all[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        guard !bytes.isEmpty else { return false }
        // mantissa: digits/underscores with at most one dot, or sexagesimal with a dot
        var sawDigit = false
        var sawDot = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if isDigit(byte) {
                sawDigit = true
            } else if byte == 0x5F || byte == UInt8(ascii: ":") {
                if !sawDigit { return false }
            } else if byte == UInt8(ascii: ".") {
                if sawDot { return false }
                sawDot = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { return false }
        if index == bytes.endIndex { return sawDot }
        guard bytes[index] | 0x20 == UInt8(ascii: "e") else { return false }
        index += 1
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        guard index < bytes.endIndex else { return false }
        return bytes[index...].allSatisfy(isDigit)
    }

    private static func isTimestamp(_ bytes: [UInt8]) -> Bool {
        // yyyy-m(m)-d(d), optionally followed by a time: enough to know a reader would not see a string.
        guard bytes.count >= 8, bytes[0...3].allSatisfy(isDigit), bytes[4] == UInt8(ascii: "-") else { return false }
        var index = 5
        var digits = 0
        while index < bytes.count, isDigit(bytes[index]) { index += 1; digits += 1 }
        guard (1...2).contains(digits), index < bytes.count, bytes[index] == UInt8(ascii: "-") else { return false }
        index += 1
        digits = 0
        while index < bytes.count, isDigit(bytes[index]) { index += 1; digits += 1 }
        guard (1...2).contains(digits) else { return false }
        if index == bytes.count { return true }
        let separator = bytes[index]
        return separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == 0x20 || separator == 0x09
    }
}
