import YAML

/// Whole-document walks that are not schema checks: duplicate keys, numbers JSON cannot
/// hold. Aliases are not followed, so each is bounded by the document's own size.
enum DocumentScans {
    /// Whether the bytes contain `.inf` or `.nan` in any case: a cheap test before walking
    /// documents for them.
    static func mentionsNonFinite(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index + 3 < bytes.count {
            if bytes[index] == UInt8(ascii: ".") {
                let word = (bytes[index + 1] | 0x20, bytes[index + 2] | 0x20, bytes[index + 3] | 0x20)
                if word == (UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "f")) || word == (UInt8(ascii: "n"), UInt8(ascii: "a"), UInt8(ascii: "n")) {
                    return true
                }
            }
            index += 1
        }
        return false
    }

    /// Plain scalars that read as infinity or NaN.
    static func nonFiniteNumbers(in root: Node) -> [Node] {
        var found: [Node] = []
        var stack = [root]
        while let node = stack.popLast() {
            if node.isScalar {
                if case let .number(value, _) = InstanceScalar(node), !value.isFinite { found.append(node) }
            } else if node.isMapping {
                for (_, value) in node.entries where value.kind != .alias { stack.append(value) }
            } else if node.isSequence {
                stack += node.items.filter { $0.kind != .alias }
            }
        }
        return found
    }

    /// Every key that repeats an earlier key of its mapping, anywhere in the document.
    static func duplicateKeys(in root: Node) -> [Node] {
        var found: [Node] = []
        var stack = [root]
        var visited = 0
        while let node = stack.popLast(), visited < 1_000_000 {
            visited += 1
            if node.isMapping {
                var seen = Set<String>()
                for (key, value) in node.entries {
                    let text = key.resolved.string ?? ""
                    if text != "<<", !seen.insert(text).inserted { found.append(key) }
                    if !value.isScalar && value.kind != .alias { stack.append(value) }
                }
            } else if node.isSequence {
                stack += node.items.filter { !$0.isScalar && $0.kind != .alias }
            }
        }
        return found.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    }
}
