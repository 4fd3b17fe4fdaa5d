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

/// `--helm`: rendering needs `helm template`; when helm is not installed that is a note.
enum HelmRenderer {
    static func note(charts: [String]) -> [String] {
        guard !charts.isEmpty else { return [] }
        guard ExternalTool.find("helm") != nil else {
            return ["--helm: helm not installed; \(charts.count) chart\(charts.count == 1 ? "" : "s") not rendered (\(charts.joined(separator: ", ")))"]
        }
        return ["--helm: chart rendering is not implemented yet; \(charts.count) chart(s) not rendered"]
    }
}

/// Runs an external renderer (kustomize, kubectl, helm) and captures its output.
enum ExternalTool {
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func run(_ arguments: [String]) -> (status: Int32, standardOutput: String, standardError: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return (127, "", "\(error)")
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
