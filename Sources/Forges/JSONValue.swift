import Foundation

/// A parsed JSON document, read leniently: forges add fields freely, and Capstan reads
/// only the few it needs, each by name, so a missing one is a clear `nil`.
public struct JSONValue: Sendable {
    let storage: any Sendable

    init(_ object: Any?) {
        storage = JSONValue.sendable(object)
    }

    public static func parse(_ data: Data) -> JSONValue? {
        guard !data.isEmpty, let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        return JSONValue(object)
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

    public subscript(key: String) -> JSONValue {
        (storage as? [String: JSONValue])?[key] ?? JSONValue(nil)
    }

    public var array: [JSONValue] { storage as? [JSONValue] ?? [] }
    public var string: String? { storage as? String }
    public var int: Int? { (storage as? Double).map { Int($0) } ?? string.flatMap { Int($0) } }
    public var bool: Bool? { storage as? Bool }
    public var isNull: Bool { storage is NSNull }
    public var exists: Bool { !(storage is NSNull) }
}

/// Builds a JSON request body from plain values.
enum JSONBody {
    static func encode(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}
