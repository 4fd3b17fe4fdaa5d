/// The outcome of a validation run: findings, sorted by file and position, and counts.
public struct ValidationReport: Sendable, Codable {
    public var findings: [Finding] = []
    /// Files read (skipped files not included).
    public var files = 0
    /// The files read, in the order given (`<stdin>` for standard input): the test cases of
    /// a JUnit report. Not encoded: `files` counts them.
    public var checkedFiles: [String] = []
    /// Files passed over: not Kubernetes, or patch files of a kustomization.
    public var skippedFiles = 0
    public var resources = 0
    public var valid = 0
    public var invalid = 0
    /// Resources with no schema, or of a skipped kind.
    public var skipped = 0
    /// The Kubernetes release the schemas came from.
    public var kubernetesVersion = ""
    /// Things a person should know that are not findings ("helm not installed").
    public var notes: [String] = []

    private enum CodingKeys: String, CodingKey {
        case findings, files, skippedFiles, resources, valid, invalid, skipped, kubernetesVersion, notes
    }

    public init() {}

    public var errors: Int { findings.filter { $0.severity == .error }.count }
    public var warnings: Int { findings.filter { $0.severity == .warning }.count }

    /// `12 files, 40 resources: 38 valid, 2 invalid, 0 skipped; 3 errors, 1 warning`
    public var summary: String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return "\(plural(files, "file")), \(plural(resources, "resource")): \(valid) valid, \(invalid) invalid, \(skipped) skipped; "
            + "\(plural(errors, "error")), \(plural(warnings, "warning")) (Kubernetes \(kubernetesVersion))"
    }
}
