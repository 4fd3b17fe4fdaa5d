import YAML

extension JSONValue {
    /// The JSON a YAML node reads as under Kubernetes' rules (see `InstanceScalar`); used
    /// for CRD schemas found in YAML and for enum and uniqueness comparisons.
    init(node original: Node) {
        self = Self.convert(original, depth: 0)
    }

    private static func convert(_ original: Node, depth: Int) -> JSONValue {
        let node = original.resolved
        guard depth < 256 else { return .null }
        if node.isMapping {
            var members: [String: JSONValue] = [:]
            for entry in MappingEntries(node).entries { members[entry.key] = convert(entry.value, depth: depth + 1) }
            return .object(members)
        }
        if node.isSequence { return .array(node.items.map { convert($0, depth: depth + 1) }) }
        switch InstanceScalar(node) {
        case .null: return .null
        case let .bool(flag): return .bool(flag)
        case let .number(value, _): return .number(value)
        case .string: return .string(node.string ?? "")
        }
    }
}
