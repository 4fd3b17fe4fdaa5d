import YAML

/// A Kubernetes object in a document: its identity and where its fields sit.
public struct Resource: Sendable {
    public let node: Node
    public let apiVersion: String
    public let kind: String
    public let name: String?
    public let namespace: String?

    /// Reads apiVersion, kind and metadata; nil when the node is not a mapping with both.
    public init?(_ node: Node) {
        let node = node.resolved
        guard node.isMapping, let apiVersion = node["apiVersion"]?.resolved.string, let kind = node["kind"]?.resolved.string,
              !apiVersion.isEmpty, !kind.isEmpty else { return nil }
        self.node = node
        self.apiVersion = apiVersion
        self.kind = kind
        let metadata = node["metadata"]?.resolved
        name = metadata?["name"]?.resolved.string ?? metadata?["generateName"]?.resolved.string
        namespace = metadata?["namespace"]?.resolved.string
    }

    public var gvk: GroupVersionKind { GroupVersionKind(apiVersion: apiVersion, kind: kind) }

    /// `Kind/namespace/name` (or `Kind/name`), for messages.
    public var label: String {
        [kind, namespace, name ?? "(unnamed)"].compactMap { $0 }.joined(separator: "/")
    }

    /// A value at a dotted path of mapping keys.
    public func value(_ path: String) -> Node? {
        var current: Node? = node
        for key in path.split(separator: ".") { current = current?.resolved[String(key)] }
        return current?.resolved
    }

    /// Where a finding about the whole resource points: its name, else its kind.
    var anchor: Node { node["metadata"]?.resolved["name"] ?? node.keyNode("kind") ?? node }
}
