import YAML

/// What a scalar is once Kubernetes has read it. Kubernetes reads manifests with
/// sigs.k8s.io/yaml, which decodes through go-yaml v2 and then JSON, so that is the
/// resolution used here (and by kubeconform): YAML 1.1 booleans (`yes`, `on`, `n`),
/// `~`/`null`/empty as null, Go integer syntax (`0x1F`, `0755` octal, `0b101`, `1_000`),
/// floats, and timestamps kept as strings. Quoted scalars and `!!str` are strings.
/// Sexagesimal `1:20` is a string there (YAML 1.1 would say integer).
enum InstanceScalar: Equatable {
    case null
    case bool(Bool)
    /// Any number; `isInteger` when it has no fractional part (`1.0` counts, as in JSON Schema).
    case number(Double, isInteger: Bool)
    case string

    /// Reads a scalar node.
    init(_ node: Node) {
        guard let utf8 = node.scalarUTF8 else {
            self = .string
            return
        }
        if let tag = node.tag {
            switch tag {
            case "tag:yaml.org,2002:str", "tag:yaml.org,2002:binary": self = .string; return
            case "tag:yaml.org,2002:null": self = .null; return
            case "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float": break
            default: if node.scalarStyle != .plain { self = .string; return }
            }
        } else if node.scalarStyle != .plain {
            self = .string
            return
        }
        self = Self.resolvePlain(utf8)
    }

    static func resolvePlain(_ utf8: ArraySlice<UInt8>) -> InstanceScalar {
        guard let first = utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
             UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "~"):
            return wordValue(utf8) ?? .string
        case UInt8(ascii: "."):
            if let word = wordValue(utf8) { return word }
            return parseFloat(utf8).map { .number($0, isInteger: $0.rounded() == $0) } ?? .string
        case UInt8(ascii: "+"), UInt8(ascii: "-"), 0x30...0x39:
            if let word = wordValue(utf8) { return word }
            return numberValue(utf8) ?? .string
        default:
            return .string
        }
    }

    private static func wordValue(_ utf8: ArraySlice<UInt8>) -> InstanceScalar? {
        guard utf8.count <= 6 else { return nil }
        switch String(decoding: utf8, as: UTF8.self) {
        case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE": return .bool(true)
        case "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE": return .bool(false)
        case "~", "null", "Null", "NULL": return .null
        case ".nan", ".NaN", ".NAN": return .number(.nan, isInteger: false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .number(.infinity, isInteger: false)
        case "-.inf", "-.Inf", "-.INF": return .number(-.infinity, isInteger: false)
        default: return nil
        }
    }

    /// Go's strconv.ParseInt/ParseUint with base 0 after removing underscores, then the
    /// go-yaml float pattern, then `0b` binary; timestamps stay strings.
    private static func numberValue(_ utf8: ArraySlice<UInt8>) -> InstanceScalar? {
        if isTimestamp(utf8) { return nil }
        let plain = utf8.filter { $0 != UInt8(ascii: "_") }
        if let integer = goInteger(plain[...]) { return .number(integer, isInteger: true) }
        if let float = parseFloat(plain[...]) { return .number(float, isInteger: float.rounded() == float) }
        return nil
    }

    private static func goInteger(_ all: ArraySlice<UInt8>) -> Double? {
        var bytes = all
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard let first = bytes.first else { return nil }
        var radix: UInt64 = 10
        if first == UInt8(ascii: "0"), bytes.count > 1 {
            let marker = bytes[bytes.startIndex + 1] | 0x20
            switch marker {
            case UInt8(ascii: "x"): radix = 16; bytes = bytes.dropFirst(2)
            case UInt8(ascii: "o"): radix = 8; bytes = bytes.dropFirst(2)
            case UInt8(ascii: "b"): radix = 2; bytes = bytes.dropFirst(2)
            default: radix = 8; bytes = bytes.dropFirst()
            }
        }
        guard !bytes.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit: UInt64
            switch byte {
            case 0x30...0x39: digit = UInt64(byte - 0x30)
            case 0x61...0x66: digit = UInt64(byte - 0x61 + 10)
            case 0x41...0x46: digit = UInt64(byte - 0x41 + 10)
            default: return nil
            }
            guard digit < radix else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = product.addingReportingOverflow(digit)
            if overflow || overflow2 { return nil }
            value = sum
        }
        if negative {
            guard value <= UInt64(Int64.max) + 1 else { return nil }
            return -Double(value)
        }
        return Double(value)
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`: go-yaml's float shape (for
    /// text starting with a dot Go's ParseFloat decides, and accepts the same shapes).
    private static func parseFloat(_ bytes: ArraySlice<UInt8>) -> Double? {
        var index = bytes.startIndex
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        var intDigits = 0
        while index < bytes.endIndex, (0x30...0x39).contains(bytes[index]) { index += 1; intDigits += 1 }
        var fractionDigits = 0
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.endIndex, (0x30...0x39).contains(bytes[index]) { index += 1; fractionDigits += 1 }
            if intDigits == 0 && fractionDigits == 0 { return nil }
        } else if intDigits == 0 {
            return nil
        }
        if index < bytes.endIndex, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            var exponentDigits = 0
            while index < bytes.endIndex, (0x30...0x39).contains(bytes[index]) { index += 1; exponentDigits += 1 }
            if exponentDigits == 0 { return nil }
        }
        guard index == bytes.endIndex else { return nil }
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    /// go-yaml v2's timestamp forms: `2006-1-2`, optionally with a time; these stay strings.
    private static func isTimestamp(_ bytes: ArraySlice<UInt8>) -> Bool {
        let all = Array(bytes)
        guard all.count >= 8, all[0...3].allSatisfy({ (0x30...0x39).contains($0) }), all[4] == UInt8(ascii: "-") else { return false }
        var index = 5
        var digits = 0
        while index < all.count, (0x30...0x39).contains(all[index]) { index += 1; digits += 1 }
        guard (1...2).contains(digits), index < all.count, all[index] == UInt8(ascii: "-") else { return false }
        index += 1
        digits = 0
        while index < all.count, (0x30...0x39).contains(all[index]) { index += 1; digits += 1 }
        guard (1...2).contains(digits) else { return false }
        if index == all.count { return true }
        return all[index] == UInt8(ascii: "T") || all[index] == UInt8(ascii: "t") || all[index] == 0x20
    }
}
