/// JSON types a schema may allow, as a bit set so a type check is one AND.
struct JSONTypes: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = JSONTypes(rawValue: 1)
    static let boolean = JSONTypes(rawValue: 2)
    static let object = JSONTypes(rawValue: 4)
    static let array = JSONTypes(rawValue: 8)
    static let number = JSONTypes(rawValue: 16)
    static let integer = JSONTypes(rawValue: 32)
    static let string = JSONTypes(rawValue: 64)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        switch name {
        case "null": self = .null
        case "boolean": self = .boolean
        case "object": self = .object
        case "array": self = .array
        case "number": self = .number
        case "integer": self = .integer
        case "string": self = .string
        default: return nil
        }
    }

    /// `string or integer`, for messages.
    var names: String {
        var parts: [String] = []
        if contains(.object) { parts.append("object") }
        if contains(.array) { parts.append("array") }
        if contains(.string) { parts.append("string") }
        if contains(.integer) { parts.append("integer") }
        if contains(.number) { parts.append("number") }
        if contains(.boolean) { parts.append("boolean") }
        if contains(.null) { parts.append("null") }
        guard let last = parts.last, parts.count > 1 else { return parts.joined() }
        return parts.dropLast().joined(separator: ", ") + " or " + last
    }
}

/// One compiled schema. References are resolved to the target object at compile time, so
/// validation follows pointers and never looks a definition up by name. The graph may be
/// cyclic (JSONSchemaProps refers to itself); it is built once and never changed after
/// `SchemaCompiler` returns, which is why sharing it across threads is sound.
final class Schema: @unchecked Sendable {
    /// Where this schema sits, for messages: `io.k8s.api.apps.v1.DeploymentSpec/properties/replicas`.
    var location: String
    /// A `false` schema: nothing is valid.
    var rejectsEverything = false
    var types: JSONTypes?
    var reference: Schema?
    var properties: [String: Schema] = [:]
    var patternProperties: [(pattern: Pattern, schema: Schema)] = []
    var additionalProperties: Schema?
    /// `additionalProperties: false`, or an object closed by `--strict`.
    var closed = false
    var required: [String] = []
    var enumValues: [JSONValue]?
    var items: Schema?
    var prefixItems: [Schema] = []
    var allOf: [Schema] = []
    var anyOf: [Schema] = []
    var oneOf: [Schema] = []
    var not: Schema?
    var pattern: Pattern?
    var minLength: Int?
    var maxLength: Int?
    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: Double?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var minProperties: Int?
    var maxProperties: Int?
    var format: StringFormat?
    /// x-kubernetes-preserve-unknown-fields: keys not in `properties` are kept, not checked.
    var preservesUnknownFields = false
    /// x-kubernetes-int-or-string (or format int-or-string): an integer or a string, whatever `type` says.
    var intOrString = false
    /// x-kubernetes-embedded-resource: an object that also carries apiVersion, kind and metadata.
    var embeddedResource = false

    init(location: String) {
        self.location = location
    }
}
