/// Every check Capstan makes, with its default severity, whether it runs unless asked,
/// and a one-line fix hint. `--disable`, `--enable` and `--severity` switch them.
public enum RuleID: String, Sendable, CaseIterable, Codable {
    case yamlSyntax = "yaml-syntax"
    case notAResource = "not-a-resource"
    case schema
    case schemaMissing = "schema-missing"
    case unknownKind = "unknown-kind"
    case duplicateKey = "duplicate-key"
    case plaintextSecret = "plaintext-secret"
    case removedAPI = "removed-api"
    case deprecatedAPI = "deprecated-api"
    case duplicateResource = "duplicate-resource"
    case kustomizationMissingFile = "kustomization-missing-file"
    case fluxPathMissing = "flux-path-missing"
    case argoPathMissing = "argocd-path-missing"
    case helmSourceMissing = "helmrelease-source-missing"
    case imageInvalid = "image-invalid"
    case imageLatest = "image-latest"
    case imageUntagged = "image-untagged"
    case renderFailed = "render-failed"

    public var defaultSeverity: Severity {
        switch self {
        case .schemaMissing, .deprecatedAPI, .imageLatest, .imageUntagged: .warning
        default: .error
        }
    }

    /// Duplicate keys are only an error in `--strict` (Kubernetes keeps the last one).
    public var enabledByDefault: Bool { self != .duplicateKey }

    public var hint: String {
        switch self {
        case .yamlSyntax: "fix the YAML syntax at this position"
        case .notAResource: "give the document apiVersion and kind, or move it out of the validated paths"
        case .schema: "change the field to match the schema of this kind and apiVersion"
        case .schemaMissing: "add the CRD to the tree, or pass --crd FILE or --schema-dir DIR"
        case .unknownKind: "spell the kind as Kubernetes serves it under this apiVersion"
        case .duplicateKey: "remove one of the repeated keys; only the last one takes effect"
        case .plaintextSecret: "encrypt it with SOPS, or use a SealedSecret or ExternalSecret"
        case .removedAPI: "move the resource to the replacement apiVersion"
        case .deprecatedAPI: "move the resource to the replacement apiVersion before it is removed"
        case .duplicateResource: "keep one definition per kind, namespace and name"
        case .kustomizationMissingFile: "fix the path or add the missing file"
        case .fluxPathMissing: "point spec.path at a directory that exists in this repository"
        case .argoPathMissing: "point spec.source.path at a directory that exists in this repository"
        case .helmSourceMissing: "define the HelmRepository/GitRepository/OCIRepository, or fix sourceRef"
        case .imageInvalid: "write the image as [registry/]name[:tag][@sha256:digest]"
        case .imageLatest: "pin a version tag or a digest instead of latest"
        case .imageUntagged: "pin a version tag or a digest"
        case .renderFailed: "fix the overlay so that it renders"
        }
    }
}

/// Which rules run and how severe each is, from `--disable`, `--enable`, `--severity`.
public struct RuleSettings: Sendable {
    public var disabled: Set<RuleID> = []
    public var enabled: Set<RuleID> = []
    public var severities: [RuleID: Severity] = [:]

    public init(disabled: Set<RuleID> = [], enabled: Set<RuleID> = [], severities: [RuleID: Severity] = [:]) {
        self.disabled = disabled
        self.enabled = enabled
        self.severities = severities
    }

    public func isOn(_ rule: RuleID) -> Bool {
        !disabled.contains(rule) && (rule.enabledByDefault || enabled.contains(rule))
    }

    /// Applies switches and severity overrides; nil when the rule is off.
    func apply(_ finding: Finding) -> Finding? {
        guard let rule = RuleID(rawValue: finding.rule), isOn(rule) else { return nil }
        if let severity = severities[rule], severity != finding.severity { return finding.with(severity: severity) }
        return finding
    }
}
