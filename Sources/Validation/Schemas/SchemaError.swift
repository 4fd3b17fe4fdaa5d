/// Problems with schemas themselves (not with the manifests they check): a schema file
/// that does not parse, a `$ref` that points nowhere, a damaged bundle.
public enum SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A schema file or CRD that is not valid JSON/YAML or not a schema.
    case unreadable(source: String, reason: String)
    /// A `$ref` whose target does not exist.
    case unresolvedReference(source: String, reference: String)
    /// A `pattern` that Go's `regexp` (so the API server) would not compile, and why.
    case badPattern(source: String, pattern: String, reason: String)
    /// The compiled-in bundle could not be inflated (a build problem, never user input).
    case damagedBundle(reason: String)
    /// `--kubernetes-version` names a release the bundle does not hold.
    case unknownKubernetesVersion(String, available: [String])

    public var description: String {
        switch self {
        case let .unreadable(source, reason): "\(source): not a usable schema: \(reason)"
        case let .unresolvedReference(source, reference): "\(source): $ref \(reference) points to no definition"
        case let .badPattern(source, pattern, reason): "\(source): pattern \(pattern) is not a regular expression Kubernetes accepts: \(reason)"
        case let .damagedBundle(reason): "the compiled-in schema bundle is damaged: \(reason)"
        case let .unknownKubernetesVersion(version, available):
            "Kubernetes \(version) is not bundled; choose one of \(available.joined(separator: ", "))"
        }
    }
}
