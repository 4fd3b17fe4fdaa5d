import Apps
import Foundation

/// The fixture repositories and a compact way to name apps in expectations.
enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let flux = packageRoot.appendingPathComponent("Tests/Fixtures/apps/flux").path
    static let argocd = packageRoot.appendingPathComponent("Tests/Fixtures/apps/argocd").path
    /// The `capstan` binary built beside the test bundle (or $CAPSTAN_BIN).
    static let capstan: String = {
        if let override = ProcessInfo.processInfo.environment["CAPSTAN_BIN"] { return override }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("capstan").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return packageRoot.appendingPathComponent(".build/debug/capstan").path
    }()
    static let receiverScript = packageRoot.appendingPathComponent("Tests/Support/reconciler_receiver.py").path

    /// `kind name`, plus `@cluster` for Flux (whose names repeat per cluster), e.g.
    /// `flux-kustomization apps@staging`, `argocd-application checkout-dev`.
    static func label(_ app: LinkedApp) -> String {
        let cluster = app.kind.isArgo ? nil : app.cluster
        return "\(app.kind.rawValue) \(app.name)" + (cluster.map { "@\($0)" } ?? "")
    }

    /// The labels of the apps that changing `paths` affects.
    static func affected(_ paths: [String], in root: String, repositoryURL: String? = nil) throws -> Set<String> {
        let catalog = try AppCatalog.discover(root: root, repositoryURL: repositoryURL)
        return Set(ChangeImpact.affected(by: paths, in: catalog).map { label($0.app) })
    }

    /// Writes `files` (repository-relative path → text) under `root`, making their folders.
    static func writeTree(_ files: [String: String], in root: String) throws {
        for (path, text) in files {
            let file = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
    }

    static func temporaryDirectory(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-apps-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
