/// What identifies a resource's schema: API group (empty for the core group), version, kind.
public struct GroupVersionKind: Sendable, Hashable, CustomStringConvertible {
    public let group: String
    public let version: String
    public let kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// Splits an `apiVersion` (`apps/v1`, `v1`) and pairs it with `kind`.
    public init(apiVersion: String, kind: String) {
        if let slash = apiVersion.lastIndex(of: "/") {
            group = String(apiVersion[..<slash])
            version = String(apiVersion[apiVersion.index(after: slash)...])
        } else {
            group = ""
            version = apiVersion
        }
        self.kind = kind
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    public var description: String { "\(apiVersion) \(kind)" }
}
