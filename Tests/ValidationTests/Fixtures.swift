import Foundation
import Validation

/// Paths into Tests/Fixtures/validation and a one-call way to validate them.
enum Fixtures {
    static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/validation").path

    static let examples: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples").path

    static func path(_ relative: String) -> String { "\(root)/\(relative)" }

    /// Whether kustomize or kubectl is on PATH (the rendering tests need one; scripts/setup
    /// does not install them, this image has kubectl).
    static let canRenderKustomizations: Bool = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { directory in
            ["kustomize", "kubectl"].contains { FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }
        }
    }()

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
