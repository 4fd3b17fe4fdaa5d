import Foundation

/// The part of Argo CD's `v1alpha1Application` (assets/swagger.json) a rollout is judged
/// by. Every field is optional: Argo CD leaves out what it has not computed yet.
public struct ArgoApplication: Sendable, Decodable {
    public struct Metadata: Sendable, Decodable {
        public var name: String?
        public var namespace: String?
    }

    public struct Source: Sendable, Decodable {
        public var repoURL: String?
    }

    public struct Spec: Sendable, Decodable {
        public var source: Source?
        public var sources: [Source]?
    }

    public struct ComparedTo: Sendable, Decodable {
        public var source: Source?
        public var sources: [Source]?
    }

    /// `v1alpha1SyncStatus`: the revision(s) the last comparison used.
    public struct SyncStatus: Sendable, Decodable {
        public var status: String?
        public var revision: String?
        public var revisions: [String]?
        public var comparedTo: ComparedTo?
    }

    /// `v1alpha1AppHealthStatus` / `v1alpha1HealthStatus`.
    public struct Health: Sendable, Decodable {
        public var status: String?
        public var message: String?
    }

    public struct SyncOperation: Sendable, Decodable {
        public var revision: String?
        public var revisions: [String]?
    }

    public struct Operation: Sendable, Decodable {
        public var sync: SyncOperation?
    }

    /// `v1alpha1ResourceResult`: one resource of a sync operation.
    public struct ResourceResult: Sendable, Decodable {
        public var kind: String?
        public var name: String?
        public var namespace: String?
        public var status: String?
        public var message: String?
        public var hookPhase: String?
    }

    public struct SyncResult: Sendable, Decodable {
        public var revision: String?
        public var revisions: [String]?
        public var resources: [ResourceResult]?
    }

    /// `v1alpha1OperationState`: the last (or running) operation.
    public struct OperationState: Sendable, Decodable {
        public var phase: String?
        public var message: String?
        public var startedAt: String?
        public var finishedAt: String?
        public var operation: Operation?
        public var syncResult: SyncResult?
    }

    public struct Condition: Sendable, Decodable {
        public var type: String?
        public var message: String?
    }

    /// `applicationv1alpha1ResourceStatus`: a live resource and its health.
    public struct Resource: Sendable, Decodable {
        public var kind: String?
        public var name: String?
        public var namespace: String?
        public var status: String?
        public var health: Health?
    }

    public struct Status: Sendable, Decodable {
        public var sync: SyncStatus?
        public var health: Health?
        public var operationState: OperationState?
        public var reconciledAt: String?
        public var conditions: [Condition]?
        public var resources: [Resource]?
    }

    public var metadata: Metadata?
    public var spec: Spec?
    /// A requested operation not yet picked up by the controller.
    public var operation: Operation?
    public var status: Status?

    public init(json: Data) throws(ReconcilerError) {
        do {
            self = try JSONDecoder().decode(ArgoApplication.self, from: json)
        } catch {
            throw .undecodable(url: "application", message: "\(error)")
        }
    }
}
