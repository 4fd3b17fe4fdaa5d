import Foundation

/// The report as stable, sorted JSON: counts, summary, findings, notes.
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
