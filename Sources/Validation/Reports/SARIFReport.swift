import Foundation

/// SARIF 2.1.0 with every rule described, for code-scanning uploads.
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
