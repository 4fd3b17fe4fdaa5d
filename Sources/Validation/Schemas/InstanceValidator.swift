import YAML

/// Checks YAML nodes against a compiled `Schema`. In collecting mode every violation is
/// recorded with its node; in probing mode (inside anyOf/oneOf/not) it stops at the first.
struct InstanceValidator {
    private(set) var violations: [SchemaViolation] = []
    private(set) var failed = false
    private let collecting: Bool
    private var depth = 0

    init(collecting: Bool = true) {
        self.collecting = collecting
    }

    /// Whether `node` satisfies `schema`, without building messages.
    static func accepts(_ node: Node, _ schema: Schema) -> Bool {
        var probe = InstanceValidator(collecting: false)
        probe.check(node, schema)
        return !probe.failed
    }

    private mutating func report(_ node: Node, _ schema: Schema, _ keyword: String, _ message: @autoclosure () -> String,
                                 pathOf: Node? = nil) {
        failed = true
        guard collecting else { return }
        let schemaPath = schema.location.isEmpty ? keyword : "\(schema.location)/\(keyword)"
        let subject = pathOf ?? node
        violations.append(SchemaViolation(location: node.location, instancePath: subject.pathDescription,
                                          schemaPath: schemaPath, message: message(), path: subject.pathComponents))
    }

    mutating func check(_ original: Node, _ schema: Schema) {
        if failed && !collecting { return }
        let node = original.resolved
        if schema.rejectsEverything {
            report(node, schema, "false", "no value is allowed here")
            return
        }
        depth += 1
        defer { depth -= 1 }
        guard depth < 256 else { return }
        if let reference = schema.reference { check(node, reference) }

        let scalar: InstanceScalar? = node.isScalar ? InstanceScalar(node) : nil
        let type = Self.type(of: node, scalar)
        var allowed = schema.types
        if schema.intOrString { allowed = JSONTypes([.integer, .string]).union(allowed?.intersection(.null) ?? []) }
        if let allowed, allowed.isDisjoint(with: type) {
            // Kubernetes schemas allow null almost everywhere; saying so in every message is noise.
            let expected = allowed == .null ? allowed : allowed.subtracting(.null)
            report(node, schema, "type", "expected \(expected.names), found \(Self.describe(node, scalar, type))")
            return
        }
        if let values = schema.enumValues, !values.contains(where: { Self.equal(node, scalar, $0) }) {
            let choices = values.prefix(12).map(Self.show).joined(separator: ", ")
            report(node, schema, values.count == 1 ? "const" : "enum",
                   "\(Self.describe(node, scalar, type)) is not \(values.count == 1 ? "" : "one of ")\(choices)")
        }
        if node.isMapping {
            checkObject(node, schema)
        } else if node.isSequence {
            checkArray(node, schema)
        } else if case let .number(value, _)? = scalar {
            checkNumber(node, value, schema)
        } else if case .string? = scalar {
            checkString(node, schema)
        }
        for sub in schema.allOf { check(node, sub) }
        if !schema.anyOf.isEmpty, !schema.anyOf.contains(where: { Self.accepts(node, $0) }) {
            report(node, schema, "anyOf", Self.noneMatched(node, scalar, type, schema.anyOf))
        }
        if !schema.oneOf.isEmpty {
            let matching = schema.oneOf.filter { Self.accepts(node, $0) }.count
            if matching == 0 {
                report(node, schema, "oneOf", Self.noneMatched(node, scalar, type, schema.oneOf))
            } else if matching > 1 {
                let message = type == .null
                    ? "null fits more than one of the allowed forms; remove the field or give it a value"
                    : "\(Self.describe(node, scalar, type)) matches more than one of the allowed forms"
                report(node, schema, "oneOf", message)
            }
        }
        if let not = schema.not, Self.accepts(node, not) {
            report(node, schema, "not", "\(Self.describe(node, scalar, type)) matches a form that is not allowed here")
        }
    }

    private mutating func checkObject(_ node: Node, _ schema: Schema) {
        let mapping = MappingEntries(node)
        let entries = mapping.entries
        for entry in entries {
            if let property = schema.properties[entry.key] {
                check(entry.value, property)
                continue
            }
            var matched = false
            for (pattern, sub) in schema.patternProperties where pattern.matches(entry.key) {
                matched = true
                check(entry.value, sub)
            }
            if matched { continue }
            if let additional = schema.additionalProperties {
                check(entry.value, additional)
            } else if schema.closed, !schema.preservesUnknownFields,
                      !(schema.embeddedResource && Self.embeddedFields.contains(entry.key)) {
                let hint = Self.closest(to: entry.key, in: schema.properties.keys).map { " (did you mean \"\($0)\"?)" } ?? ""
                report(entry.keyNode, schema, "additionalProperties", "unknown field \"\(entry.key)\"\(hint)", pathOf: entry.value)
            }
        }
        for name in schema.required where !entries.contains(where: { $0.key == name }) {
            report(node, schema, "required", "missing required field \"\(name)\"")
        }
        if let minimum = schema.minProperties, entries.count < minimum {
            report(node, schema, "minProperties", "has \(entries.count) fields, fewer than the minimum \(minimum)")
        }
        if let maximum = schema.maxProperties, entries.count > maximum {
            report(node, schema, "maxProperties", "has \(entries.count) fields, more than the maximum \(maximum)")
        }
    }

    private static let embeddedFields: Set<String> = ["apiVersion", "kind", "metadata"]

    private mutating func checkArray(_ node: Node, _ schema: Schema) {
        let items = node.items
        for (index, item) in items.enumerated() {
            if index < schema.prefixItems.count {
                check(item, schema.prefixItems[index])
            } else if let itemSchema = schema.items {
                check(item, itemSchema)
            }
        }
        if let minimum = schema.minItems, items.count < minimum {
            report(node, schema, "minItems", "has \(items.count) items, fewer than the minimum \(minimum)")
        }
        if let maximum = schema.maxItems, items.count > maximum {
            report(node, schema, "maxItems", "has \(items.count) items, more than the maximum \(maximum)")
        }
        if schema.uniqueItems {
            var seen = Set<JSONValue>()
            for item in items where !seen.insert(JSONValue(node: item)).inserted {
                report(item, schema, "uniqueItems", "repeats an earlier item; items must be unique")
            }
        }
    }

    private mutating func checkNumber(_ node: Node, _ value: Double, _ schema: Schema) {
        let text = node.string ?? ""
        if let minimum = schema.minimum, value < minimum {
            report(node, schema, "minimum", "\(text) is less than the minimum \(Self.number(minimum))")
        }
        if let maximum = schema.maximum, value > maximum {
            report(node, schema, "maximum", "\(text) is greater than the maximum \(Self.number(maximum))")
        }
        if let bound = schema.exclusiveMinimum, value <= bound {
            report(node, schema, "exclusiveMinimum", "\(text) must be greater than \(Self.number(bound))")
        }
        if let bound = schema.exclusiveMaximum, value >= bound {
            report(node, schema, "exclusiveMaximum", "\(text) must be less than \(Self.number(bound))")
        }
        if let divisor = schema.multipleOf, divisor > 0, (value / divisor).rounded() != value / divisor {
            report(node, schema, "multipleOf", "\(text) is not a multiple of \(Self.number(divisor))")
        }
    }

    private mutating func checkString(_ node: Node, _ schema: Schema) {
        guard schema.pattern != nil || schema.minLength != nil || schema.maxLength != nil || schema.format != nil else { return }
        let text = node.string ?? ""
        if schema.minLength != nil || schema.maxLength != nil {
            let length = text.unicodeScalars.count
            if let minimum = schema.minLength, length < minimum {
                report(node, schema, "minLength", "\(Self.quote(text)) is shorter than \(minimum) characters")
            }
            if let maximum = schema.maxLength, length > maximum {
                report(node, schema, "maxLength", "\(Self.quote(text)) is longer than \(maximum) characters")
            }
        }
        if let pattern = schema.pattern {
            switch pattern.search(text) {
            case .match: break
            case .noMatch: report(node, schema, "pattern", "\(Self.quote(text)) does not match the pattern \(pattern.source)")
            case .tooCostly:
                report(node, schema, "pattern", "\(Self.quote(text)) is too long to check against the pattern \(pattern.source) "
                    + "(more than \(RegexProgram.stepBudget) steps); shorten the value or the pattern")
            }
        }
        if let format = schema.format, let problem = format.problem(text) {
            report(node, schema, "format", "\(Self.quote(text)) \(problem)")
        }
    }

    // MARK: Typing and messages

    private static func type(of node: Node, _ scalar: InstanceScalar?) -> JSONTypes {
        if node.isMapping { return .object }
        if node.isSequence { return .array }
        switch scalar {
        case .null?: return .null
        case .bool?: return .boolean
        case let .number(_, isInteger)?: return isInteger ? [.integer, .number] : .number
        default: return .string
        }
    }

    private static func describe(_ node: Node, _ scalar: InstanceScalar?, _ type: JSONTypes) -> String {
        if node.isMapping { return "an object" }
        if node.isSequence { return "an array" }
        let text = node.string ?? ""
        switch scalar {
        case .null?: return "null"
        case .bool?: return "boolean \(text)"
        case let .number(_, isInteger)?: return "\(isInteger ? "integer" : "number") \(text)"
        default: return "string \(quote(text))"
        }
    }

    private static func noneMatched(_ node: Node, _ scalar: InstanceScalar?, _ type: JSONTypes, _ options: [Schema]) -> String {
        let typeOnly = options.allSatisfy { $0.types != nil && $0.reference == nil && $0.properties.isEmpty && $0.enumValues == nil }
        if typeOnly {
            let union = options.reduce(JSONTypes()) { $0.union($1.types ?? []) }
            return "expected \(union.subtracting(.null).names), found \(describe(node, scalar, type))"
        }
        return "\(describe(node, scalar, type)) matches none of the allowed forms"
    }

    static func quote(_ text: String) -> String {
        let short = text.count > 60 ? String(text.prefix(57)) + "..." : text
        return "\"\(short)\""
    }

    private static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func show(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case let .bool(flag): String(flag)
        case let .number(number): self.number(number)
        case let .string(text): quote(text)
        case .array: "[...]"
        case .object: "{...}"
        }
    }

    private static func equal(_ node: Node, _ scalar: InstanceScalar?, _ value: JSONValue) -> Bool {
        switch (scalar, value) {
        case (.null?, .null): return true
        case let (.bool(flag)?, .bool(expected)): return flag == expected
        case let (.number(number, _)?, .number(expected)): return number == expected
        case (.string?, .string(let expected)): return node.scalarUTF8?.elementsEqual(expected.utf8) ?? false
        case (nil, .array), (nil, .object): return JSONValue(node: node) == value
        default: return false
        }
    }

    /// The property name within two edits of `key`, for "did you mean" hints.
    static func closest(to key: String, in names: some Sequence<String>) -> String? {
        let target = Array(key.lowercased().utf8)
        var best: (name: String, distance: Int)?
        for name in names {
            let candidate = Array(name.lowercased().utf8)
            guard abs(candidate.count - target.count) <= 2 else { continue }
            let distance = editDistance(target, candidate)
            if distance <= 2, distance < (best?.distance ?? Int.max) { best = (name, distance) }
        }
        return best?.name
    }

    private static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
