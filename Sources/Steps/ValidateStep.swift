import Validation

/// `capstan validate`: checks manifests offline against the bundled schemas and the
/// GitOps rules. Findings are the outcome, not an error; the exit status says whether any
/// finding is an error.
public struct ValidateStep: Sendable {
    public let options: ValidationOptions

    public init(options: ValidationOptions) {
        self.options = options
    }

    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws(ValidationFailure) -> ValidateOutcome {
        ValidateOutcome(report: try ValidationRun(options: options).run(progress: progress))
    }
}

/// What `capstan validate` found.
public struct ValidateOutcome: Outcome {
    public let report: ValidationReport

    /// Whether anything of error severity was found (exit status 1).
    public var failed: Bool { report.errors > 0 }

    public var text: String { ReportFormat.text.render(report) }

    public var notes: [String] { [] }

    public func rendered(_ format: ReportFormat) -> String { format.render(report) }

    public func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
    }
}

extension ValidateOutcome {
    /// `$GITHUB_OUTPUT` lines: findings by severity and resources checked.
    public var githubOutputs: [(String, String)] {
        [("findings", "\(report.findings.count)"), ("errors", "\(report.errors)"), ("warnings", "\(report.warnings)"),
         ("resources", "\(report.resources)"), ("invalid", "\(report.invalid)")]
    }
}
