import Foundation
import Validation

/// Paths into Tests/Fixtures/validation and a one-call way to validate them.
enum Fixtures {
    static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/validation").path

    static let examples: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples").path

    static func path(_ relative: String) -> String { "\(root)/\(relative)" }

    /// Whether a tool is on PATH: rendering tests need kustomize or kubectl (this image has
    /// kubectl); the "helm not installed" test needs helm to be absent.
    static func isInstalled(_ tool: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    static func validate(_ relative: [String], configure: (inout ValidationOptions) -> Void = { _ in }) throws -> ValidationReport {
        var options = ValidationOptions(paths: relative.map(path))
        configure(&options)
        return try ValidationRun(options: options).run()
    }

    static func validate(_ relative: String, configure: (inout ValidationOptions) -> Void = { _ in }) throws -> ValidationReport {
        try validate([relative], configure: configure)
    }
}

extension ValidationReport {
    /// `file-relative-to-fixtures:line:column rule` for each finding, the shape tests compare.
    var positions: [String] {
        findings.map { finding in
            let file = finding.file.hasPrefix(Fixtures.root + "/") ? String(finding.file.dropFirst(Fixtures.root.count + 1)) : finding.file
            return "\(file):\(finding.line):\(finding.column) \(finding.rule)"
        }
    }
}
