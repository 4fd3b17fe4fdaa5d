/// apiVersions Kubernetes deprecated or removed, with the release that did it and the
/// replacement (from the Kubernetes deprecation guide).
struct APIVersionTable {
    struct Entry {
        let apiVersion: String
        /// nil: every kind served under this apiVersion.
        let kinds: Set<String>?
        let deprecatedIn: Int
        let removedIn: Int?
        let replacement: String
    }

    static let entries: [Entry] = [
        Entry(apiVersion: "extensions/v1beta1", kinds: ["Ingress"], deprecatedIn: 14, removedIn: 22, replacement: "networking.k8s.io/v1"),
        Entry(apiVersion: "extensions/v1beta1", kinds: ["Deployment", "DaemonSet", "ReplicaSet"], deprecatedIn: 9, removedIn: 16, replacement: "apps/v1"),
        Entry(apiVersion: "extensions/v1beta1", kinds: ["NetworkPolicy"], deprecatedIn: 9, removedIn: 16, replacement: "networking.k8s.io/v1"),
        Entry(apiVersion: "extensions/v1beta1", kinds: ["PodSecurityPolicy"], deprecatedIn: 11, removedIn: 16, replacement: "policy/v1beta1 (itself removed in 1.25)"),
        Entry(apiVersion: "apps/v1beta1", kinds: nil, deprecatedIn: 9, removedIn: 16, replacement: "apps/v1"),
        Entry(apiVersion: "apps/v1beta2", kinds: nil, deprecatedIn: 9, removedIn: 16, replacement: "apps/v1"),
        Entry(apiVersion: "networking.k8s.io/v1beta1", kinds: ["Ingress", "IngressClass"], deprecatedIn: 19, removedIn: 22, replacement: "networking.k8s.io/v1"),
        Entry(apiVersion: "policy/v1beta1", kinds: ["PodSecurityPolicy"], deprecatedIn: 21, removedIn: 25, replacement: "Pod Security Admission (no replacement kind)"),
        Entry(apiVersion: "policy/v1beta1", kinds: ["PodDisruptionBudget"], deprecatedIn: 21, removedIn: 25, replacement: "policy/v1"),
        Entry(apiVersion: "batch/v1beta1", kinds: ["CronJob"], deprecatedIn: 21, removedIn: 25, replacement: "batch/v1"),
        Entry(apiVersion: "autoscaling/v2beta1", kinds: ["HorizontalPodAutoscaler"], deprecatedIn: 22, removedIn: 25, replacement: "autoscaling/v2"),
        Entry(apiVersion: "autoscaling/v2beta2", kinds: ["HorizontalPodAutoscaler"], deprecatedIn: 23, removedIn: 26, replacement: "autoscaling/v2"),
        Entry(apiVersion: "discovery.k8s.io/v1beta1", kinds: ["EndpointSlice"], deprecatedIn: 21, removedIn: 25, replacement: "discovery.k8s.io/v1"),
        Entry(apiVersion: "events.k8s.io/v1beta1", kinds: ["Event"], deprecatedIn: 22, removedIn: 25, replacement: "events.k8s.io/v1"),
        Entry(apiVersion: "node.k8s.io/v1beta1", kinds: ["RuntimeClass"], deprecatedIn: 22, removedIn: 25, replacement: "node.k8s.io/v1"),
        Entry(apiVersion: "rbac.authorization.k8s.io/v1beta1", kinds: nil, deprecatedIn: 17, removedIn: 22, replacement: "rbac.authorization.k8s.io/v1"),
        Entry(apiVersion: "rbac.authorization.k8s.io/v1alpha1", kinds: nil, deprecatedIn: 17, removedIn: 22, replacement: "rbac.authorization.k8s.io/v1"),
        Entry(apiVersion: "admissionregistration.k8s.io/v1beta1", kinds: nil, deprecatedIn: 16, removedIn: 22, replacement: "admissionregistration.k8s.io/v1"),
        Entry(apiVersion: "apiextensions.k8s.io/v1beta1", kinds: ["CustomResourceDefinition"], deprecatedIn: 16, removedIn: 22, replacement: "apiextensions.k8s.io/v1"),
        Entry(apiVersion: "apiregistration.k8s.io/v1beta1", kinds: ["APIService"], deprecatedIn: 19, removedIn: 22, replacement: "apiregistration.k8s.io/v1"),
        Entry(apiVersion: "storage.k8s.io/v1beta1", kinds: ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"], deprecatedIn: 19, removedIn: 22, replacement: "storage.k8s.io/v1"),
        Entry(apiVersion: "storage.k8s.io/v1beta1", kinds: ["CSIStorageCapacity"], deprecatedIn: 24, removedIn: 27, replacement: "storage.k8s.io/v1"),
        Entry(apiVersion: "scheduling.k8s.io/v1beta1", kinds: ["PriorityClass"], deprecatedIn: 14, removedIn: 22, replacement: "scheduling.k8s.io/v1"),
        Entry(apiVersion: "coordination.k8s.io/v1beta1", kinds: ["Lease"], deprecatedIn: 14, removedIn: 22, replacement: "coordination.k8s.io/v1"),
        Entry(apiVersion: "certificates.k8s.io/v1beta1", kinds: ["CertificateSigningRequest"], deprecatedIn: 19, removedIn: 22, replacement: "certificates.k8s.io/v1"),
        Entry(apiVersion: "authentication.k8s.io/v1beta1", kinds: nil, deprecatedIn: 19, removedIn: 22, replacement: "authentication.k8s.io/v1"),
        Entry(apiVersion: "authorization.k8s.io/v1beta1", kinds: nil, deprecatedIn: 19, removedIn: 22, replacement: "authorization.k8s.io/v1"),
        Entry(apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1", kinds: nil, deprecatedIn: 23, removedIn: 26, replacement: "flowcontrol.apiserver.k8s.io/v1"),
        Entry(apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", kinds: nil, deprecatedIn: 26, removedIn: 29, replacement: "flowcontrol.apiserver.k8s.io/v1"),
        Entry(apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", kinds: nil, deprecatedIn: 29, removedIn: 32, replacement: "flowcontrol.apiserver.k8s.io/v1"),
        Entry(apiVersion: "resource.k8s.io/v1alpha2", kinds: nil, deprecatedIn: 31, removedIn: 32, replacement: "resource.k8s.io/v1"),
    ]

    static func entry(apiVersion: String, kind: String) -> Entry? {
        entries.first { $0.apiVersion == apiVersion && ($0.kinds?.contains(kind) ?? true) }
    }
}
