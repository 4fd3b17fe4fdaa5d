/// A JSON value as schemas are written: the bundle, `--schema-dir` files and CRDs (read
/// from YAML) all end up in this form before they are compiled.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members[key] }
        return nil
    }

    var stringValue: String? {
        if case let .string(text) = self { return text }
        return nil
    }

    var boolValue: Bool? {
        if case let .bool(flag) = self { return flag }
        return nil
    }

    var numberValue: Double? {
        if case let .number(number) = self { return number }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case let .array(items) = self { return items }
        return nil
    }

    var objectValue: [String: JSONValue]? {
        if case let .object(members) = self { return members }
        return nil
    }
}
