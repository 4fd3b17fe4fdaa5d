import YAML

/// Guards against alias bombs ("billion laughs"): a few lines of anchors and aliases that
/// expand to billions of nodes. Kubernetes' YAML reader refuses such documents ("excessive
/// aliasing"); Capstan refuses them too, before any check walks the expanded tree.
enum AliasExpansion {
    /// Nodes a document may expand to, aliases followed. Real manifests stay far below.
    static let limit = 1_000_000

    /// Whether `root`, with every alias expanded, has more than `limit` nodes.
    static func isExcessive(_ root: Node, limit: Int = limit) -> Bool {
        var count = 0
        var stack = [root]
        while let node = stack.popLast() {
            count += 1
            if count > limit { return true }
            let target = node.resolved
            if target.isMapping {
                for (key, value) in target.entries {
                    stack.append(key)
                    stack.append(value)
                }
            } else if target.isSequence {
                stack += target.items
            }
        }
        return false
    }
}
