import YAML

/// One place where a document breaks its schema.
public struct SchemaViolation: Sendable, Hashable {
    /// The offending node (a key for unknown or duplicate fields, the mapping for missing ones).
    public let location: SourceLocation
    /// The node's path in the document: `spec.template.spec.containers[0].image`.
    public let instancePath: String
    /// The schema keyword that failed: `io.k8s.api.core.v1.Container/properties/image/type`.
    public let schemaPath: String
    public let message: String
    /// The keys and indices leading to the node, for finding it again elsewhere.
    public let path: [String]
}
