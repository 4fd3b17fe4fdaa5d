/// Bounds that turn hostile input (alias bombs, deep nesting, huge files) into errors
/// instead of hangs or crashes. The defaults sit well above any real release repository.
public struct YAMLLimits: Sendable, Hashable {
    /// Largest file read, in bytes.
    public var maxBytes: Int
    /// Deepest nesting of collections.
    public var maxDepth: Int
    /// Most nodes in one file, across its documents.
    public var maxNodes: Int

    public init(maxBytes: Int = 64 << 20, maxDepth: Int = 512, maxNodes: Int = 8_000_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    public static let `default` = YAMLLimits()
}
