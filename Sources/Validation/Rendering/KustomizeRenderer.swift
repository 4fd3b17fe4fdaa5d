import Foundation
import YAML

/// Renders each kustomization with `kustomize build` (or `kubectl kustomize`) and
/// validates the output. Findings point at the overlay's kustomization file, since the
/// rendered text exists only in memory; the message names the resource and field.
struct KustomizeRenderer {
    let checker: FileChecker

    struct Outcome {
        var findings: [Finding] = []
        var notes: [String] = []
        var resources = 0
        var valid = 0
        var invalid = 0
    }

    /// The renderer on PATH: kustomize first, then kubectl.
    static func tool() -> [String]? {
        if let kustomize = ExternalTool.find("kustomize") { return [kustomize, "build"] }
        if let kubectl = ExternalTool.find("kubectl") { return [kubectl, "kustomize"] }
        return nil
    }

    func render(_ kustomizations: [String]) -> Outcome {
        var outcome = Outcome()
        guard !kustomizations.isEmpty else { return outcome }
        guard let tool = Self.tool() else {
            outcome.notes.append("--kustomize: neither kustomize nor kubectl is installed; overlays were not rendered")
            return outcome
        }
        for file in kustomizations {
            let directory = (file as NSString).deletingLastPathComponent
            let overlay = SourceLocation(file: file, line: 1, column: 1)
            let run = ExternalTool.run(tool + [directory.isEmpty ? "." : directory])
            guard run.status == 0 else {
                let message = run.standardError.split(separator: "\n").last.map(String.init) ?? "exit status \(run.status)"
                outcome.findings.append(Finding(at: overlay, rule: .renderFailed, message: "\(tool.joined(separator: " ")) failed: \(message)"))
                continue
            }
            let rendered = checker.check(.memory(path: "\(file) (rendered)", bytes: Array(run.standardOutput.utf8)))
            outcome.resources += rendered.resources
            outcome.valid += rendered.valid
            outcome.invalid += rendered.invalid
            for finding in rendered.findings where finding.rule == RuleID.schema.rawValue {
                outcome.findings.append(Finding(at: overlay, rule: .schema,
                                                message: "rendered \(finding.resource ?? "resource") (line \(finding.line) of the output): \(finding.message)",
                                                schemaPath: finding.schemaPath, resource: finding.resource))
            }
        }
        return outcome
    }
}
