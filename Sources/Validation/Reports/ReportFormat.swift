import Foundation

/// The shapes a report prints in: for people, for machines, for CI systems.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// `file:line:column: severity [rule] message` lines and a summary.
    case text
    /// The whole report as JSON.
    case json
    /// JUnit XML: one testsuite per run, one testcase per file validated (a failure holds its errors).
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
