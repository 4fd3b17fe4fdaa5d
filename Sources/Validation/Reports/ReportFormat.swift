import Foundation

/// The shapes a report prints in: for people, for machines, for CI systems.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// `file:line:column: severity [rule] message` lines and a summary.
    case text
    /// The whole report as JSON.
    case json
    /// JUnit XML: one test case per file, a failure per finding.
    case junit
    /// SARIF 2.1.0, for code-scanning uploads.
    case sarif
    /// GitHub Actions workflow commands (`::error file=...,line=...::message`).
    case github

    public func render(_ report: ValidationReport) -> String {
        switch self {
        case .text: TextReport.render(report)
        case .json: JSONReport.render(report)
        case .junit: JUnitReport.render(report)
        case .sarif: SARIFReport.render(report)
        case .github: GitHubReport.render(report)
        }
    }
}

enum TextReport {
    static func render(_ report: ValidationReport) -> String {
        var lines = report.findings.map { finding in
            finding.hint.map { "\(finding.text)\n    fix: \($0)" } ?? finding.text
        }
        lines += report.notes.map { "note: \($0)" }
        lines.append(report.summary)
        return lines.joined(separator: "\n") + "\n"
    }
}

enum JSONReport {
    private struct Envelope: Encodable {
        let summary: String
        let kubernetesVersion: String
        let files: Int
        let skippedFiles: Int
        let resources: Int
        let valid: Int
        let invalid: Int
        let skipped: Int
        let errors: Int
        let warnings: Int
        let findings: [Finding]
        let notes: [String]
    }

    static func render(_ report: ValidationReport) -> String {
        let envelope = Envelope(summary: report.summary, kubernetesVersion: report.kubernetesVersion, files: report.files,
                                skippedFiles: report.skippedFiles, resources: report.resources, valid: report.valid,
                                invalid: report.invalid, skipped: report.skipped, errors: report.errors, warnings: report.warnings,
                                findings: report.findings, notes: report.notes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(envelope) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

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

enum JUnitReport {
    static func render(_ report: ValidationReport) -> String {
        let byFile = Dictionary(grouping: report.findings, by: \.file)
        let files = byFile.keys.sorted()
        let failures = report.findings.filter { $0.severity == .error }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"capstan validate\" tests=\"\(max(report.resources, files.count))\" failures=\"\(failures)\">\n"
        xml += "  <testsuite name=\"capstan validate\" tests=\"\(max(report.resources, files.count))\" failures=\"\(failures)\" skipped=\"\(report.skipped)\">\n"
        for file in files {
            let findings = byFile[file] ?? []
            xml += "    <testcase classname=\"\(escape(file))\" name=\"\(escape(file))\">\n"
            for finding in findings where finding.severity == .error {
                xml += "      <failure type=\"\(escape(finding.rule))\" message=\"\(escape(finding.message))\">\(escape(finding.text))</failure>\n"
            }
            let others = findings.filter { $0.severity != .error }
            if !others.isEmpty {
                xml += "      <system-out>\(escape(others.map(\.text).joined(separator: "\n")))</system-out>\n"
            }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

enum SARIFReport {
    static func render(_ report: ValidationReport) -> String {
        let rules: [[String: Any]] = RuleID.allCases.map { rule in
            ["id": rule.rawValue, "shortDescription": ["text": rule.rawValue], "help": ["text": rule.hint],
             "defaultConfiguration": ["level": level(rule.defaultSeverity)]]
        }
        let results: [[String: Any]] = report.findings.map { finding in
            [
                "ruleId": finding.rule,
                "level": level(finding.severity),
                "message": ["text": [finding.resource.map { "\($0): " } ?? "", finding.message].joined()],
                "locations": [["physicalLocation": [
                    "artifactLocation": ["uri": finding.file.hasPrefix("./") ? String(finding.file.dropFirst(2)) : finding.file],
                    "region": ["startLine": finding.line, "startColumn": finding.column],
                ]]],
            ]
        }
        let document: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [["tool": ["driver": ["name": "capstan", "informationUri": "https://github.com/capstan", "rules": rules]],
                      "results": results]],
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return "{}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }
}
