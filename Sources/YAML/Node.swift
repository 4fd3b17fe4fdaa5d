/// A handle on one node of a parsed file. Cheap to copy; reads go to the file's storage.
public struct Node: Sendable, Hashable {
    public let file: YAMLFile
    let id: Int32

    init(file: YAMLFile, id: Int32) {
        self.file = file
        self.id = id
    }

    public static func == (lhs: Node, rhs: Node) -> Bool { lhs.file === rhs.file && lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    private var record: NodeRecord { file.nodes[Int(id)] }

    public var kind: NodeKind { record.kind }
    public var isScalar: Bool { record.kind == .scalar }
    public var isMapping: Bool { record.kind == .mapping }
    public var isSequence: Bool { record.kind == .sequence }

    /// The scalar's style; nil for other kinds.
    public var scalarStyle: ScalarStyle? { record.kind == .scalar ? ScalarStyle(rawValue: record.style) : nil }

    /// Whether a collection is written in flow style (`{}` / `[]`).
    public var isFlowCollection: Bool { record.kind != .scalar && record.kind != .alias && record.style == 1 }

    /// Whether the node sits inside a flow collection, where plain scalars may not hold `,[]{}`.
    public var isInFlowContext: Bool {
        var current = parent
        while let node = current {
            if node.isFlowCollection { return true }
            current = node.parent
        }
        return false
    }

    /// The node's whole byte span, anchor and tag included. A block scalar's span runs to
    /// the start of the next token, so it can include trailing blank lines.
    public var span: Range<Int> { Int(record.start)..<Int(record.end) }

    /// The span of the node's own text, anchor and tag excluded: what an edit replaces.
    public var valueSpan: Range<Int> { Int(record.valueStart)..<max(Int(record.valueStart), Int(record.end)) }

    /// Where the node's own text starts.
    public var location: SourceLocation {
        SourceLocation(file: file.path, line: Int(record.line), column: Int(record.column))
    }

    public var anchor: String? { file.anchors[id] }
    public var tag: String? { file.tags[id] }

    /// The enclosing collection, nil for a document root.
    public var parent: Node? { record.parent < 0 ? nil : Node(file: file, id: record.parent) }

    /// An alias's target; any other node is itself.
    public var resolved: Node { record.kind == .alias ? Node(file: file, id: record.first) : self }

    // MARK: Scalars

    /// The decoded scalar value (escapes applied, folding done); nil for other kinds.
    public var string: String? {
        guard record.kind == .scalar else { return nil }
        let start = Int(record.first)
        return String(decoding: file.values[start..<start + Int(record.count)], as: UTF8.self)
    }

    /// Compares the decoded scalar value without allocating.
    public func scalarEquals(_ text: String) -> Bool {
        guard record.kind == .scalar else { return false }
        let start = Int(record.first)
        let count = Int(record.count)
        let utf8 = text.utf8
        guard utf8.count == count else { return false }
        return utf8.elementsEqual(file.values[start..<start + count])
    }

    /// The type a YAML reader gives this scalar: quoted scalars and `!!str` are strings,
    /// plain scalars resolve by their text.
    public var scalarType: ScalarType? {
        guard let text = string else { return nil }
        if let tag {
            switch tag {
            case "tag:yaml.org,2002:str": return .string
            case "tag:yaml.org,2002:int": return .int
            case "tag:yaml.org,2002:float": return .float
            case "tag:yaml.org,2002:bool": return .bool
            case "tag:yaml.org,2002:null": return .null
            default: return .string
            }
        }
        return scalarStyle == .plain ? ScalarType.resolvePlain(text) : .string
    }

    // MARK: Collections

    /// A sequence's items; empty for other kinds.
    public var items: [Node] {
        guard record.kind == .sequence else { return [] }
        let first = Int(record.first)
        return (first..<first + Int(record.count)).map { Node(file: file, id: file.children[$0]) }
    }

    /// A mapping's entries in file order; empty for other kinds.
    public var entries: [(key: Node, value: Node)] {
        guard record.kind == .mapping else { return [] }
        let first = Int(record.first)
        return stride(from: first, to: first + Int(record.count) - 1, by: 2).map {
            (Node(file: file, id: file.children[$0]), Node(file: file, id: file.children[$0 + 1]))
        }
    }

    /// The key node of the entry `key`, looked up in this mapping only (no merge keys).
    public func keyNode(_ key: String) -> Node? {
        guard record.kind == .mapping else { return nil }
        let first = Int(record.first)
        for slot in stride(from: first, to: first + Int(record.count) - 1, by: 2) {
            let candidate = Node(file: file, id: file.children[slot])
            if candidate.scalarEquals(key) { return candidate }
        }
        return nil
    }

    /// The value of `key` in this mapping, following merge keys (`<<`) when the mapping
    /// itself lacks it. The value is returned as written (an alias stays an alias).
    public subscript(key: String) -> Node? {
        value(forKey: key, depth: 0)
    }

    private func value(forKey key: String, depth: Int) -> Node? {
        guard record.kind == .mapping, depth < 16 else { return nil }
        let first = Int(record.first)
        var merges: [Node] = []
        for slot in stride(from: first, to: first + Int(record.count) - 1, by: 2) {
            let candidate = Node(file: file, id: file.children[slot])
            if candidate.scalarEquals(key) { return Node(file: file, id: file.children[slot + 1]) }
            if candidate.scalarStyle == .plain, candidate.scalarEquals("<<") {
                merges.append(Node(file: file, id: file.children[slot + 1]))
            }
        }
        for merge in merges {
            let sources = merge.resolved.isSequence ? merge.resolved.items.map(\.resolved) : [merge.resolved]
            for source in sources {
                if let found = source.value(forKey: key, depth: depth + 1) { return found }
            }
        }
        return nil
    }

    /// The key this node is the value of, when its parent is a mapping.
    public var keyInParent: Node? {
        guard let parent, parent.isMapping else { return nil }
        let first = Int(parent.record.first)
        for slot in stride(from: first + 1, to: first + Int(parent.record.count), by: 2) where file.children[slot] == id {
            return Node(file: file, id: file.children[slot - 1])
        }
        return nil
    }

    /// A readable path from the document root, for messages: `spec.containers[0].image`.
    public var pathDescription: String {
        var parts: [String] = []
        var current = self
        while let parent = current.parent {
            if parent.isSequence {
                parts.append("[\(parent.items.firstIndex(of: current) ?? 0)]")
            } else if let key = current.keyInParent {
                let text = key.string ?? "?"
                parts.append(text.contains(".") || text.contains(" ") ? "[\"\(text)\"]" : "." + text)
            } else {
                parts.append("<key \(current.string ?? "?")>")
            }
            current = parent
        }
        let joined = parts.reversed().joined()
        return joined.hasPrefix(".") ? String(joined.dropFirst()) : joined
    }
}
