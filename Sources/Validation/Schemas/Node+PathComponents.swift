import YAML

extension Node {
    /// The keys and indices from the document root to this node (`["spec", "ports", "0",
    /// "port"]`): what lets a finding in rendered output be found again in a source file.
    var pathComponents: [String] {
        var parts: [String] = []
        var current = self
        while let parent = current.parent {
            if parent.isSequence {
                parts.append(String(parent.items.firstIndex(of: current) ?? 0))
            } else {
                parts.append(current.keyInParent?.string ?? "")
            }
            current = parent
        }
        return parts.reversed()
    }

    /// The node at `components` below this one (mapping keys, sequence indices); nil when
    /// the path leaves the document.
    func descendant(_ components: [String]) -> Node? {
        var current: Node = resolved
        for component in components {
            if current.isSequence, let index = Int(component), current.items.indices.contains(index) {
                current = current.items[index].resolved
            } else if current.isMapping, let next = current[component] {
                current = next.resolved
            } else {
                return nil
            }
        }
        return current
    }
}
