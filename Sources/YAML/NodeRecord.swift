/// What a node is.
public enum NodeKind: UInt8, Sendable {
    case scalar, sequence, mapping, alias
}

/// How a scalar is written; edits keep it.
public enum ScalarStyle: UInt8, Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// Packed storage for one node; the public face is `Node`.
struct NodeRecord {
    var kind: NodeKind
    /// Scalars: `ScalarStyle.rawValue`; collections: 1 for flow, 0 for block.
    var style: UInt8
    var hasProperties: Bool
    /// Byte span, anchor and tag included.
    var start: Int32
    var end: Int32
    /// Byte offset where the node's own text starts, after any anchor and tag.
    var valueStart: Int32
    /// 1-based position of `valueStart`.
    var line: Int32
    var column: Int32
    /// Scalars: offset of the decoded value in `values`; collections: first child slot in
    /// `children`; aliases: the target node.
    var first: Int32
    /// Scalars: decoded length; collections: number of child slots (2 per mapping entry).
    var count: Int32
    var parent: Int32
}

/// One `---`-separated document of a file.
struct DocumentRecord {
    var root: Int32
    var start: Int32
    var end: Int32
}
