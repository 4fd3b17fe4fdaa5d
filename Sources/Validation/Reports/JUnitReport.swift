import Foundation

/// JUnit XML: a test case per file with findings, a failure per error.
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
