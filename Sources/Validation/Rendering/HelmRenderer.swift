import Foundation
import YAML

/// `--helm`: renders each chart with `helm template` (its default values) and validates
/// the output. Findings point at the template that produced the document (helm marks each
/// with `# Source: chart/templates/file.yaml`); templates are not YAML, so the position is
/// the template's first line and the message gives the field. Without helm (allowed only
/// with --render-optional) it is a note.
struct HelmRenderer {
    let checker: FileChecker
    /// `--helm-binary`, else `helm` on PATH; nil when neither is there (only with --render-optional).
    let binary: String?

    func render(charts: [String]) -> RenderOutcome {
        var outcome = RenderOutcome()
        guard !charts.isEmpty else { return outcome }
        guard let helm = binary else {
            outcome.notes.append("--helm: helm not installed; \(charts.count) chart\(charts.count == 1 ? "" : "s") not rendered (\(charts.joined(separator: ", ")))")
            return outcome
        }
        for chart in charts {
            let chartFile = SourceLocation(file: "\(chart)/Chart.yaml", line: 1, column: 1)
            let name = PathNormaliser.lastComponent(of: chart)
            let run = ExternalTool.run([helm, "template", name, chart])
            guard run.status == 0 else {
                let message = run.standardError.split(separator: "\n").last(where: { !$0.isEmpty }).map(String.init) ?? "exit status \(run.status)"
                outcome.findings.append(Finding(at: chartFile, rule: .renderFailed, message: "helm template failed: \(message)"))
                continue
            }
            let output = run.standardOutput
            let rendered = checker.check(.memory(path: "\(chart) (rendered)", bytes: Array(output.utf8)))
            outcome.resources += rendered.resources
            outcome.valid += rendered.valid
            outcome.invalid += rendered.invalid
            let sources = Self.sources(in: output)
            for finding in rendered.findings where finding.rule == RuleID.schema.rawValue {
                let template = sources.last(where: { $0.line <= finding.line })?.template
                let target = template.map { Self.templatePath(chart: chart, source: $0) }
                    .map { SourceLocation(file: $0, line: 1, column: 1) } ?? chartFile
                outcome.findings.append(Finding(at: target, rule: .schema,
                                                message: "\(finding.message) (line \(finding.line) of helm template \(name))",
                                                schemaPath: finding.schemaPath, resource: finding.resource, path: finding.path))
            }
        }
        return outcome
    }

    /// Lines of `# Source: chart/templates/x.yaml` markers in helm's output.
    static func sources(in output: String) -> [(line: Int, template: String)] {
        var found: [(Int, String)] = []
        for (index, line) in output.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.hasPrefix("# Source: ") {
            found.append((index + 1, String(line.dropFirst("# Source: ".count))))
        }
        return found
    }

    /// `chart/templates/x.yaml` (relative to the chart's parent) as a path on disk.
    static func templatePath(chart: String, source: String) -> String {
        let parts = source.split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? "\(chart)/\(parts[1])" : "\(chart)/\(source)"
    }
}
