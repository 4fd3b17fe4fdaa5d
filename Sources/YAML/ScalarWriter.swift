/// The type an edit means a value to have.
public enum ValueIntent: String, Sendable, CaseIterable {
    /// Always a string: quoted when YAML would otherwise read a number, bool or null.
    case string
    case int
    case bool
    case float
    /// The type the scalar has now, when the new text fits it; otherwise a string.
    case keepType = "keep"
}

extension Node {
    /// The splice that makes this scalar read as `value`, keeping its style where the value
    /// allows: plain stays plain unless YAML would read the text as something other than
    /// the intended type, quoted keeps its quotes, block scalars stay block scalars.
    public func replacing(with value: String, as intent: ValueIntent = .string) throws(YAMLError) -> Splice {
        guard isScalar, let style = scalarStyle else {
            throw .cannotEdit(at: location, reason: "\(pathDescription) is a \(kind), not a scalar")
        }
        let type = try targetType(for: value, intent: intent)
        let text: [UInt8]
        if type != .string {
            text = Array(value.utf8)
        } else {
            text = renderString(value, currentStyle: style)
        }
        let expectation = structuralPath.map {
            Splice.Expectation(document: documentIndex, path: $0, value: value, type: type == .string ? .string : type)
        }
        return Splice(range: valueSpan, replacement: text, expectation: expectation)
    }

    private func targetType(for value: String, intent: ValueIntent) throws(YAMLError) -> ScalarType {
        let plainType = ScalarType.resolvePlain(value)
        switch intent {
        case .string:
            return .string
        case .int:
            guard plainType == .int, !file.isJSON || value.allSatisfy({ $0.isNumber || $0 == "-" }) else {
                throw .cannotEdit(at: location, reason: "\"\(value)\" is not an integer")
            }
            return .int
        case .float:
            guard plainType == .float || plainType == .int else {
                throw .cannotEdit(at: location, reason: "\"\(value)\" is not a number")
            }
            return plainType
        case .bool:
            guard value == "true" || value == "false" else {
                throw .cannotEdit(at: location, reason: "\"\(value)\" is not true or false")
            }
            return .bool
        case .keepType:
            guard let current = scalarType, current != .string, scalarStyle == .plain else { return .string }
            switch (current, plainType) {
            case (.int, .int), (.float, .float), (.float, .int), (.null, .null): return plainType
            case (.bool, .bool) where value == "true" || value == "false": return .bool
            default: return .string
            }
        }
    }

    private func renderString(_ value: String, currentStyle: ScalarStyle) -> [UInt8] {
        switch currentStyle {
        case .plain:
            if !file.isJSON, ScalarText.canBePlain(value, inFlow: isInFlowContext), ScalarType.resolvePlain(value) == .string {
                return Array(value.utf8)
            }
            return ScalarText.doubleQuoted(value)
        case .singleQuoted:
            return ScalarText.canBeSingleQuoted(value) ? ScalarText.singleQuoted(value) : ScalarText.doubleQuoted(value)
        case .doubleQuoted:
            return ScalarText.doubleQuoted(value)
        case .literal, .folded:
            return BlockScalarText(node: self).render(value) ?? ScalarText.doubleQuoted(value)
        }
    }
}

/// How text is written as a scalar of each style.
public enum ScalarText {
    /// Whether `value` can be written plain (unquoted) and read back unchanged.
    public static func canBePlain(_ value: String, inFlow: Bool) -> Bool {
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last else { return false }
        if first == " " || first == "\t" || last == " " || last == "\t" { return false }
        if "[]{},#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        if "-?:".unicodeScalars.contains(first) {
            let second = value.unicodeScalars.dropFirst().first
            if second == nil || second == " " || second == "\t" { return false }
        }
        if value.hasPrefix("---") || value.hasPrefix("...") { return false }
        if value.hasSuffix(":") || value.contains(": ") || value.contains(":\t") || value.contains(" #") || value.contains("\t#") { return false }
        for scalar in value.unicodeScalars {
            if !isPrintable(scalar) || scalar == "\n" || scalar == "\r" || scalar == "\t" { return false }
            if inFlow, ",[]{}".unicodeScalars.contains(scalar) { return false }
        }
        return true
    }

    public static func canBeSingleQuoted(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { isPrintable($0) && $0 != "\n" && $0 != "\r" }
            && value.first != " " && value.last != " "
    }

    public static func singleQuoted(_ value: String) -> [UInt8] {
        Array(("'" + value.replacingAll("'", with: "''") + "'").utf8)
    }

    /// `value` as a double-quoted scalar with YAML (and JSON) escapes.
    public static func doubleQuoted(_ value: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += Array("\\\"".utf8)
            case "\\": out += Array("\\\\".utf8)
            case "\n": out += Array("\\n".utf8)
            case "\r": out += Array("\\r".utf8)
            case "\t": out += Array("\\t".utf8)
            case "\u{0}": out += Array("\\0".utf8)
            default:
                if isPrintable(scalar) {
                    out += Array(String(scalar).utf8)
                } else {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += Array(("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).utf8)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }

    /// YAML's printable set (c-printable) minus the byte order mark.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x85: true
        case 0xA0...0xD7FF, 0xE000...0xFFFD: scalar.value != 0xFEFF
        case 0x10000...0x10FFFF: true
        default: false
        }
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
