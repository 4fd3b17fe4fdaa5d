/// JUnit XML as CI systems read it (Jenkins, GitLab, Azure DevOps, the JUnit XSD): one
/// testsuite per run and one testcase per file validated, so a clean run lists its passing
/// files. A file with errors holds one `<failure>` (every error in its text, the first in
/// its message); warnings and notes go to its `<system-out>`. `tests` counts the test
/// cases, `failures` those that failed; `errors` (the tool broke) and `skipped` are 0.
enum JUnitReport {
    static func render(_ report: ValidationReport) -> String {
        let byFile = Dictionary(grouping: report.findings, by: \.file)
        let files = Set(report.checkedFiles).union(byFile.keys).sorted()
        var cases = ""
        var failed = 0
        for file in files {
            let findings = byFile[file] ?? []
            let errors = findings.filter { $0.severity == .error }
            let others = findings.filter { $0.severity != .error }
            cases += "    <testcase classname=\"capstan validate\" name=\"\(attribute(file))\""
            guard !findings.isEmpty else {
                cases += "/>\n"
                continue
            }
            cases += ">\n"
            if let first = errors.first {
                failed += 1
                let message = errors.count == 1 ? first.message : "\(errors.count) errors; the first: \(first.message)"
                cases += "      <failure type=\"\(attribute(first.rule))\" message=\"\(attribute(message))\">"
                cases += "\(text(errors.map(\.text).joined(separator: "\n")))</failure>\n"
            }
            if !others.isEmpty {
                cases += "      <system-out>\(text(others.map(\.text).joined(separator: "\n")))</system-out>\n"
            }
            cases += "    </testcase>\n"
        }
        let counts = "tests=\"\(files.count)\" failures=\"\(failed)\" errors=\"0\""
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"capstan validate\" \(counts)>\n"
        xml += "  <testsuite name=\"capstan validate\" \(counts) skipped=\"0\">\n"
        xml += cases
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// Character data: markup escaped, and characters XML 1.0 cannot hold at all (C0
    /// controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF) replaced by U+FFFD,
    /// since a file name or value from the tree may contain them.
    static func text(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default: out.unicodeScalars.append(isXMLCharacter(scalar) ? scalar : "\u{FFFD}")
            }
        }
        return out
    }

    /// An attribute value: as `text`, with quotes and line breaks as references so a
    /// parser's attribute normalisation does not turn them into spaces.
    static func attribute(_ value: String) -> String {
        text(value).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "\n", with: "&#10;")
            .replacingOccurrences(of: "\r", with: "&#13;").replacingOccurrences(of: "\t", with: "&#9;")
    }

    private static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
