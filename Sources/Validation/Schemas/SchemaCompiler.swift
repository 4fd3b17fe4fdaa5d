/// Turns schema JSON into a `Schema` graph. One compiler serves one schema document (a CRD
/// schema file) or one Kubernetes release (all its definitions), and remembers every
/// `$ref` target it compiled, so each definition is compiled once and shared.
final class SchemaCompiler {
    /// How the source's dialect and the run's options shape compilation.
    struct Options {
        /// `--strict`: objects with `properties` and no `additionalProperties` are closed.
        var strict: Bool
        /// Draft 4/6/7 documents assert `format`; 2019-09 and 2020-12 treat it as an annotation.
        var assertsFormats: Bool
        /// Draft 4/6/7: keywords beside `$ref` are ignored.
        var referenceReplacesSiblings: Bool

        init(strict: Bool, draft: String) {
            self.strict = strict
            let modern = draft.contains("2019-09") || draft.contains("2020-12")
            assertsFormats = !modern
            referenceReplacesSiblings = !modern
        }
    }

    let options: Options
    let source: String
    private let root: JSONValue?
    private let rootName: String
    private let definition: (String) throws(SchemaError) -> JSONValue?
    private var compiled: [String: Schema] = [:]

    /// `root` answers `#/...` pointers; `definition` answers `#/$defs/NAME` and
    /// `#/definitions/NAME` when the root does not hold them (a release's shared definitions).
    init(source: String, options: Options, root: JSONValue?, rootName: String = "",
         definition: @escaping (String) throws(SchemaError) -> JSONValue? = { _ in nil }) {
        self.source = source
        self.rootName = rootName
        self.options = options
        self.root = root
        self.definition = definition
    }

    /// The schema at `reference` (`#`, `#/$defs/NAME`, `#/definitions/NAME`, any `#/` pointer).
    func schema(at reference: String) throws(SchemaError) -> Schema {
        if let done = compiled[reference] { return done }
        let placeholder = Schema(location: reference == "#" ? rootName : Self.readable(reference))
        compiled[reference] = placeholder
        guard let json = try lookUp(reference) else {
            compiled[reference] = nil
            throw .unresolvedReference(source: source, reference: reference)
        }
        try fill(placeholder, from: json)
        return placeholder
    }

    /// Compiles a schema that is not addressed by reference (a CRD's openAPIV3Schema).
    func compile(_ json: JSONValue, location: String) throws(SchemaError) -> Schema {
        let schema = Schema(location: location)
        try fill(schema, from: json)
        return schema
    }

    private static func readable(_ reference: String) -> String {
        for prefix in ["#/$defs/", "#/definitions/"] where reference.hasPrefix(prefix) {
            return String(reference.dropFirst(prefix.count))
        }
        return reference == "#" ? "" : reference
    }

    private func lookUp(_ reference: String) throws(SchemaError) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        let pointer = reference.dropFirst()
        if pointer.isEmpty { return root }
        var current = root
        let tokens = pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for token in tokens {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case let .object(members)?: current = members[key]
            case let .array(items)?: current = Int(key).flatMap { items.indices.contains($0) ? items[$0] : nil }
            default: current = nil
            }
        }
        if current == nil, tokens.count == 2, let name = tokens.last, tokens.first == "$defs" || tokens.first == "definitions" {
            return try definition(String(name))
        }
        return current
    }

    private func child(_ json: JSONValue, _ location: String) throws(SchemaError) -> Schema {
        let schema = Schema(location: location)
        try fill(schema, from: json)
        return schema
    }

    private func fill(_ schema: Schema, from json: JSONValue) throws(SchemaError) {
        let here = schema.location
        guard case let .object(keywords) = json else {
            if case .bool(false) = json { schema.rejectsEverything = true }
            return
        }
        if let reference = keywords["$ref"]?.stringValue {
            schema.reference = try self.schema(at: reference)
            if options.referenceReplacesSiblings { return }
        }
        switch keywords["type"] {
        case let .string(name)?: schema.types = JSONTypes(name: name)
        case let .array(names)?: schema.types = names.reduce(into: JSONTypes()) { $0.formUnion(JSONTypes(name: $1.stringValue ?? "") ?? []) }
        default: break
        }
        if keywords["nullable"]?.boolValue == true { schema.types?.insert(.null) }
        if schema.types?.contains(.number) == true { schema.types?.insert(.integer) }
        schema.preservesUnknownFields = keywords["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        schema.embeddedResource = keywords["x-kubernetes-embedded-resource"]?.boolValue == true
        schema.intOrString = keywords["x-kubernetes-int-or-string"]?.boolValue == true
            || keywords["format"]?.stringValue == "int-or-string"
        if case let .object(properties)? = keywords["properties"] {
            for (name, sub) in properties { schema.properties[name] = try child(sub, "\(here)/properties/\(name)") }
        }
        if case let .object(patterns)? = keywords["patternProperties"] {
            for (source, sub) in patterns.sorted(by: { $0.key < $1.key }) {
                schema.patternProperties.append((try Pattern(source, origin: self.source), try child(sub, "\(here)/patternProperties/\(source)")))
            }
        }
        switch keywords["additionalProperties"] {
        case .bool(false)?: schema.closed = true
        case .bool(true)?, nil: break
        case let sub?: schema.additionalProperties = try child(sub, "\(here)/additionalProperties")
        }
        if options.strict, keywords["properties"] != nil, keywords["additionalProperties"] == nil, !schema.preservesUnknownFields {
            schema.closed = true
        }
        if let required = keywords["required"]?.arrayValue { schema.required = required.compactMap(\.stringValue) }
        if let values = keywords["enum"]?.arrayValue { schema.enumValues = values }
        if let constant = keywords["const"] { schema.enumValues = [constant] }
        switch keywords["items"] {
        case let .array(list)?:
            schema.prefixItems = try list.enumerated().map { (index, sub) throws(SchemaError) in try child(sub, "\(here)/items/\(index)") }
            if let extra = keywords["additionalItems"], extra != .bool(true) { schema.items = try child(extra, "\(here)/additionalItems") }
        case let sub?: schema.items = try child(sub, "\(here)/items")
        case nil: break
        }
        if let list = keywords["prefixItems"]?.arrayValue {
            schema.prefixItems = try list.enumerated().map { (index, sub) throws(SchemaError) in try child(sub, "\(here)/prefixItems/\(index)") }
        }
        schema.allOf = try composition(keywords["allOf"], "\(here)/allOf")
        schema.anyOf = try composition(keywords["anyOf"], "\(here)/anyOf")
        schema.oneOf = try composition(keywords["oneOf"], "\(here)/oneOf")
        if let sub = keywords["not"] { schema.not = try child(sub, "\(here)/not") }
        if let source = keywords["pattern"]?.stringValue { schema.pattern = try Pattern(source, origin: self.source) }
        schema.minLength = keywords["minLength"]?.numberValue.flatMap(Self.count)
        schema.maxLength = keywords["maxLength"]?.numberValue.flatMap(Self.count)
        schema.minItems = keywords["minItems"]?.numberValue.flatMap(Self.count)
        schema.maxItems = keywords["maxItems"]?.numberValue.flatMap(Self.count)
        schema.minProperties = keywords["minProperties"]?.numberValue.flatMap(Self.count)
        schema.maxProperties = keywords["maxProperties"]?.numberValue.flatMap(Self.count)
        schema.uniqueItems = keywords["uniqueItems"]?.boolValue == true
        schema.multipleOf = keywords["multipleOf"]?.numberValue
        schema.minimum = keywords["minimum"]?.numberValue
        schema.maximum = keywords["maximum"]?.numberValue
        // Draft 4 spells exclusive bounds as booleans beside minimum/maximum.
        switch keywords["exclusiveMinimum"] {
        case let .number(bound)?: schema.exclusiveMinimum = bound
        case .bool(true)?: schema.exclusiveMinimum = schema.minimum; schema.minimum = nil
        default: break
        }
        switch keywords["exclusiveMaximum"] {
        case let .number(bound)?: schema.exclusiveMaximum = bound
        case .bool(true)?: schema.exclusiveMaximum = schema.maximum; schema.maximum = nil
        default: break
        }
        if options.assertsFormats, let name = keywords["format"]?.stringValue { schema.format = StringFormat(rawValue: name) }
    }

    private func composition(_ json: JSONValue?, _ location: String) throws(SchemaError) -> [Schema] {
        guard let list = json?.arrayValue else { return [] }
        return try list.enumerated().map { (index, sub) throws(SchemaError) in try child(sub, "\(location)/\(index)") }
    }
}

extension SchemaCompiler {
    /// A length or count keyword as an Int. The schema may come from a CRD in the tree
    /// (hostile): `1e300`, `.inf` or `.nan` would trap in `Int(_:)`, so non-finite values
    /// drop the keyword and huge ones are clamped (no string or list is that long).
    static func count(_ value: Double) -> Int? {
        guard value.isFinite else { return nil }
        return Int(min(max(value.rounded(.down), -1e15), 1e15))
    }
}
