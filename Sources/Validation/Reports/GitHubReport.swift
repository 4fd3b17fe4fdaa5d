import Foundation

/// GitHub Actions workflow commands, one annotation per finding.
enum GitHubReport {
    static func render(_ report: ValidationReport) -> String {
        var lines = report.findings.map { finding in
            let level = switch finding.severity {
            case .error: "error"
            case .warning: "warning"
            case .info: "notice"
            }
            let message = [finding.resource.map { "\($0): " } ?? "", finding.message, finding.hint.map { " — fix: \($0)" } ?? ""].joined()
            return "::\(level) file=\(escapeProperty(finding.file)),line=\(finding.line),col=\(finding.column),title=\(escapeProperty(finding.rule))::\(escapeData(message))"
        }
        lines.append(report.summary)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    private static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
