import Foundation

/// A Flux Kustomization (kustomize.toolkit.fluxcd.io/v1) or HelmRelease
/// (helm.toolkit.fluxcd.io/v2) as the Kubernetes API returns it, reduced to the fields a
/// rollout is judged by (names as in the CRD schemas).
public struct FluxObject: Sendable, Decodable {
    public struct Metadata: Sendable, Decodable {
        public var name: String?
        public var namespace: String?
        public var generation: Int?
    }

    /// A `metav1.Condition`.
    public struct Condition: Sendable, Decodable, Equatable {
        public var type: String
        public var status: String
        public var reason: String?
        public var message: String?
        public var observedGeneration: Int?
    }

    /// One entry of a HelmRelease's release history (newest first).
    public struct Snapshot: Sendable, Decodable {
        public var chartVersion: String?
        public var status: String?
        /// The OCI artifact's digest, for a chart from an OCIRepository.
        public var ociDigest: String?
    }

    public struct Status: Sendable, Decodable {
        public var observedGeneration: Int?
        public var conditions: [Condition]?
        /// Kustomization: the source artifact revision last applied / attempted.
        public var lastAppliedRevision: String?
        /// Kustomization: the Git revision behind an ExternalArtifact (Flux 2.7 ArtifactGenerator) or OCI artifact.
        public var lastAppliedOriginRevision: String?
        public var lastAttemptedRevision: String?
        /// HelmRelease of a chart from an OCIRepository: its version's build metadata is this digest's start, not a commit.
        public var lastAttemptedRevisionDigest: String?
        /// HelmRelease history.
        public var history: [Snapshot]?
    }

    public var kind: String?
    public var metadata: Metadata?
    public var status: Status?

    public init(json: Data) throws(ReconcilerError) {
        do {
            self = try JSONDecoder().decode(FluxObject.self, from: json)
        } catch {
            throw .undecodable(url: "flux object", message: "\(error)")
        }
    }

    public func condition(_ type: String) -> Condition? {
        status?.conditions?.first { $0.type == type }
    }
}
