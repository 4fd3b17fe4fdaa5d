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

    /// Whether group, version and kind are names Kubernetes accepts (a DNS subdomain, a
    /// lowercase alphanumeric version, an alphanumeric kind). Only such names become file
    /// names under `--schema-dir`: `apiVersion: ../x/v1` or `kind: ../../x` must not make a
    /// manifest pick its own schema from outside the folder.
    public var isKubernetesName: Bool {
        func isAlphanumeric(_ text: Substring, lowercaseOnly: Bool) -> Bool {
            !text.isEmpty && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || (!lowercaseOnly && byte >= 0x41 && byte <= 0x5A)
            }
        }
        let labels = group.split(separator: ".", omittingEmptySubsequences: false)
        let groupIsSubdomain = group.isEmpty || (group.utf8.count <= 253 && labels.allSatisfy { label in
            label.count <= 63 && label.first != "-" && label.last != "-"
                && isAlphanumeric(Substring(label.filter { $0 != "-" }), lowercaseOnly: true)
        })
        return groupIsSubdomain && isAlphanumeric(Substring(version), lowercaseOnly: true) && isAlphanumeric(Substring(kind), lowercaseOnly: false)
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    public var description: String { "\(apiVersion) \(kind)" }
}
