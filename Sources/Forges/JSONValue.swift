import Foundation

/// A parsed JSON document. Forges add fields freely, and Capstan reads only the few it
/// needs, each by name. The plain accessors (`string`, `int`, …) answer nil for a missing
/// field; the throwing ones (`string("sha")`, `list()`, …) are for fields a decision rests
/// on: missing or mistyped, they are an error naming the field and the request, never a
/// default value that lets a step go on.
public struct JSONValue: Sendable {
    let storage: any Sendable
    /// The request whose answer this is, and where in the document this value sits.
    let method: String
    let path: String
    let field: String

    init(_ object: Any?, method: String = "", path: String = "", field: String = "") {
        storage = JSONValue.sendable(object)
        self.method = method
        self.path = path
        self.field = field
    }

    private init(storage: any Sendable, method: String, path: String, field: String) {
        self.storage = storage
        self.method = method
        self.path = path
        self.field = field
    }

    public static func parse(_ data: Data, method: String = "", path: String = "") -> JSONValue? {
        guard !data.isEmpty, let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        return JSONValue(object, method: method, path: path)
    }

    private static func sendable(_ object: Any?) -> any Sendable {
        switch object {
        case let dictionary as [String: Any]: return dictionary.mapValues { JSONValue($0) }
        case let array as [Any]: return array.map { JSONValue($0) }
        case let string as String: return string
        case let number as NSNumber:
            // Booleans come back as NSNumbers whose type encoding is a C char.
            if String(cString: number.objCType) == "c" { return number.boolValue }
            return number.doubleValue
        case let bool as Bool: return bool
        default: return NSNull()
        }
    }

    private func child(_ value: JSONValue?, _ name: String) -> JSONValue {
        JSONValue(storage: value?.storage ?? NSNull(), method: method, path: path, field: field.isEmpty ? name : "\(field).\(name)")
    }

    public subscript(key: String) -> JSONValue {
        child((storage as? [String: JSONValue])?[key], key)
    }

    public var array: [JSONValue] {
        (storage as? [JSONValue] ?? []).enumerated().map { index, value in
            JSONValue(storage: value.storage, method: method, path: path, field: "\(field)[\(index)]")
        }
    }
    public var string: String? { storage as? String }
    public var int: Int? { (storage as? Double).flatMap { Int(exactly: $0) } ?? string.flatMap { Int($0) } }
    public var bool: Bool? { storage as? Bool }
    public var isNull: Bool { storage is NSNull }
    public var exists: Bool { !(storage is NSNull) }
    public var isObject: Bool { storage is [String: JSONValue] }

    // MARK: Fields a decision rests on

    /// An error naming this value's field and the request it came from.
    func mistake(_ expected: String) -> ForgeError {
        let name = field.isEmpty ? "the answer" : "field `\(field)`"
        let found = isNull ? "missing" : "not \(expected)"
        return .unexpectedAnswer("\(name) is \(found) (expected \(expected))", method: method, path: path)
    }

    public func string(_ key: String) throws(ForgeError) -> String {
        let value = self[key]
        guard let text = value.string else { throw value.mistake("a string") }
        return text
    }

    public func int(_ key: String) throws(ForgeError) -> Int {
        let value = self[key]
        guard let number = value.storage as? Double, let integer = Int(exactly: number) else { throw value.mistake("an integer") }
        return integer
    }

    public func bool(_ key: String) throws(ForgeError) -> Bool {
        let value = self[key]
        guard let flag = value.bool else { throw value.mistake("true or false") }
        return flag
    }

    /// nil when absent or null; an error when present as something else.
    public func optionalString(_ key: String) throws(ForgeError) -> String? {
        let value = self[key]
        if value.isNull { return nil }
        guard let text = value.string else { throw value.mistake("a string or null") }
        return text
    }

    /// A commit id: 40 or 64 hexadecimal digits (SHA-1, SHA-256); nil when absent or null, an
    /// error when anything else (git would resolve a branch name or `HEAD~1` to another commit).
    public func optionalCommitID(_ key: String) throws(ForgeError) -> String? {
        guard let text = try optionalString(key) else { return nil }
        let hex = text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
        guard hex, [40, 64].contains(text.utf8.count) else { throw self[key].mistake("a commit id (40 or 64 hexadecimal digits)") }
        return text
    }

    public func optionalBool(_ key: String) throws(ForgeError) -> Bool? {
        let value = self[key]
        if value.isNull { return nil }
        guard let flag = value.bool else { throw value.mistake("true, false or null") }
        return flag
    }

    /// This value as an array.
    public func list() throws(ForgeError) -> [JSONValue] {
        guard storage is [JSONValue] else { throw mistake("a list") }
        return array
    }

    public func list(_ key: String) throws(ForgeError) -> [JSONValue] {
        try self[key].list()
    }

    /// This value as an object.
    public func object() throws(ForgeError) -> JSONValue {
        guard isObject else { throw mistake("an object") }
        return self
    }
}

/// Builds a JSON request body from plain values.
enum JSONBody {
    static func encode(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}
