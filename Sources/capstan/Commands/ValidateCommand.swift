import ArgumentParser
import Foundation
import Steps
import Validation

extension ReportFormat: ExpressibleByArgument {}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate Kubernetes manifests offline against bundled schemas and GitOps rules.",
        discussion: """
        Schemas for Kubernetes 1.25-1.37 and the common GitOps CRDs (Argo CD,
        Flux, Flagger, Sealed Secrets, cert-manager, External Secrets, Prometheus
        operator, Gateway API, KEDA, kustomize) are compiled in; CRDs found in
        the tree become schemas too. No network is used.

        Rules (--disable, --enable, --severity RULE=LEVEL):
          yaml-syntax, not-a-resource, schema, unknown-kind, schema-missing,
          duplicate-key (on with --strict), plaintext-secret, removed-api,
          deprecated-api, duplicate-resource, kustomization-missing-file,
          flux-path-missing, argocd-path-missing, helmrelease-source-missing,
          image-invalid, image-latest, image-untagged, render-failed

        Exit status: 0 no errors, 1 errors found, 2 usage or internal error.

        Examples:
          capstan validate .
          capstan validate envs/ --strict --kubernetes-version 1.30 --output sarif
          kustomize build envs/prod | capstan validate -
        """
    )

    @Argument(help: "Files and directories to validate; - reads standard input.")
    var paths: [String] = ["."]

    @Option(help: "Kubernetes release whose schemas to use (default: the newest bundled).")
    var kubernetesVersion: String?

    @Flag(help: "Reject unknown fields and duplicate keys.")
    var strict = false

    @Option(name: .customLong("schema-dir"), help: "A folder of JSON schemas named {kind}_{version}.json or {group}/{kind}_{version}.json (repeatable).")
    var schemaDirectories: [String] = []

    @Option(name: .customLong("crd"), help: "A CustomResourceDefinition file whose schemas to use (repeatable).")
    var crdFiles: [String] = []

    @Option(help: "Only validate files matching this glob, relative to the given directory (repeatable).")
    var include: [String] = []

    @Option(help: "Skip files and directories matching this glob (repeatable).")
    var exclude: [String] = []

    @Option(name: .customLong("skip-kind"), help: "A kind (Kind or group/version/Kind) not to validate against a schema (repeatable).")
    var skipKinds: [String] = []

    @Option(help: "Turn a rule off (repeatable).")
    var disable: [String] = []

    @Option(help: "Turn on a rule that is off by default, e.g. duplicate-key (repeatable).")
    var enable: [String] = []

    @Option(help: "Override a rule's severity: RULE=error|warning|info (repeatable).")
    var severity: [String] = []

    @Option(name: .customLong("repo-url"), help: "A Git URL that means this repository, for Flux and Argo CD path checks (repeatable).")
    var repositoryURLs: [String] = []

    @Option(name: .customLong("repo-root"), help: "Where Flux and Argo CD paths start (default: the Git top level or .capstan.yaml folder above each file).")
    var repositoryRoot: String?

    @Flag(help: "Render each kustomization with kustomize or kubectl kustomize and validate the output.")
    var kustomize = false

    @Flag(help: "Render Helm charts with helm template and validate the output.")
    var helm = false

    @Option(name: .customLong("helm-binary"), help: "The helm executable (default: helm on PATH).")
    var helmBinary: String?

    @Flag(help: "When --kustomize or --helm finds no renderer installed, validate without rendering (a note) instead of failing with exit status 2.")
    var renderOptional = false

    @Option(help: "text, json, junit (one testsuite per run, one testcase per file), sarif or github.")
    var output: ReportFormat = .text

    @Option(help: "Worker threads (default: all cores).")
    var concurrency: Int?

    /// A progress line on a terminal, cleared when done; nothing for short runs.
    @Sendable private static func showProgress(done: Int, total: Int) {
        guard total >= 200 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[Kvalidating: \(done)/\(total) files".utf8))
        if done == total { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    func validate() throws {
        for id in disable + enable where RuleID(rawValue: id) == nil {
            throw ValidationError("unknown rule \(id); rules: \(RuleID.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        _ = try severityOverrides()
    }

    private func severityOverrides() throws -> [RuleID: Severity] {
        var overrides: [RuleID: Severity] = [:]
        for item in severity {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let rule = RuleID(rawValue: parts[0]), let level = Severity(rawValue: parts[1]) else {
                throw ValidationError("--severity wants RULE=error|warning|info, got \(item)")
            }
            overrides[rule] = level
        }
        return overrides
    }

    func run() throws {
        var options = ValidationOptions(paths: paths)
        options.kubernetesVersion = kubernetesVersion
        options.strict = strict
        options.schemaDirectories = schemaDirectories
        options.crdFiles = crdFiles
        options.include = include
        options.exclude = exclude
        options.skipKinds = Set(skipKinds)
        options.rules = RuleSettings(disabled: Set(disable.compactMap(RuleID.init)), enabled: Set(enable.compactMap(RuleID.init)),
                                     severities: try severityOverrides())
        options.repositoryURLs = repositoryURLs
        options.repositoryRoot = repositoryRoot
        options.kustomize = kustomize
        options.helm = helm
        options.helmBinary = helmBinary
        options.renderOptional = renderOptional
        options.concurrency = concurrency
        do {
            let start = paths.first(where: { $0 != "-" }) ?? "."
            var isDirectory: ObjCBool = false
            let directory = FileManager.default.fileExists(atPath: start, isDirectory: &isDirectory) && !isDirectory.boolValue
                ? PathNormaliser.parent(of: start) : start
            if let config = try RepositoryConfig.load(near: directory.isEmpty ? "." : directory) { try options.adopt(config) }
        } catch {
            Terminal.note("error: \(error.description)")
            throw ExitCode(2)
        }
        let progress: (@Sendable (Int, Int) -> Void)? = isatty(STDERR_FILENO) == 1 ? Self.showProgress : nil
        let outcome: ValidateOutcome
        do {
            outcome = try ValidateStep(options: options).run(progress: progress)
        } catch {
            Terminal.note("error: \(error.description)")
            throw ExitCode(2)
        }
        StandardOutput.write(outcome.rendered(output))
        StepOutputs.writeOutputs(outcome.githubOutputs)
        if outcome.failed { throw ExitCode(1) }
    }
}
