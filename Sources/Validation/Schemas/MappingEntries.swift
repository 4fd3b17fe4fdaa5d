import YAML

/// A mapping's entries as Kubernetes sees them: merge keys (`<<`) expanded with the
/// mapping's own keys winning, and of duplicate keys the last one kept (go-yaml's
/// behaviour). The duplicates themselves are kept aside for `--strict`.
struct MappingEntries {
    struct Entry {
        let key: String
        let keyNode: Node
        let value: Node
    }

    private(set) var entries: [Entry] = []
    /// Key nodes that repeat an earlier key of the same mapping.
    private(set) var duplicates: [Node] = []

    init(_ mapping: Node) {
        var merges: [Node] = []
        let raw = mapping.entries
        entries.reserveCapacity(raw.count)
        var positions: [String: Int] = [:]
        let indexed = raw.count > 8
        for (keyNode, value) in raw {
            let key = keyNode.resolved.string ?? ""
            if keyNode.scalarStyle == .plain, key == "<<" {
                merges.append(value.resolved)
                continue
            }
            let existing = indexed ? positions[key] : entries.firstIndex { $0.key == key }
            if let existing {
                duplicates.append(keyNode)
                entries[existing] = Entry(key: key, keyNode: keyNode, value: value.resolved)
            } else {
                if indexed { positions[key] = entries.count }
                entries.append(Entry(key: key, keyNode: keyNode, value: value.resolved))
            }
        }
        guard !merges.isEmpty else { return }
        var depth = 0
        while let merge = merges.first, depth < 64 {
            merges.removeFirst()
            depth += 1
            let sources = merge.isSequence ? merge.items.map(\.resolved) : [merge]
            for source in sources where source.isMapping {
                for entry in MappingEntries(source).entries where !entries.contains(where: { $0.key == entry.key }) {
                    entries.append(entry)
                }
            }
        }
    }
}
