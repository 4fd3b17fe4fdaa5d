/// `file:line:column: severity [rule] message` lines, fix hints, notes and the summary.
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
