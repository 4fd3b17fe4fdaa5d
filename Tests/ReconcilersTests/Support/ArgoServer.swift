import CapstanTestSupport
import Foundation

/// Tests/Support/argocd_api.py on a loopback port: Argo CD's ApplicationService_Get,
/// checked against the trimmed swagger.json, playing a rollout sequence per app.
final class ArgoServer {
    struct App: Encodable {
        let sequence: String
        let merge: String
        let old: String
        var other: String = ""
        var repo: String = WaitFixtures.repositoryURL
        var namespace: String = "argocd"
    }

    let port: Int
    let token = "argocd-test-token"
    private let child: ChildProcess
    private let directory: String

    init(apps: [String: App]) throws {
        directory = try WaitFixtures.temporaryDirectory("argocd")
        let config = ["token": AnyEncodable(token), "apps": AnyEncodable(apps)]
        try JSONEncoder().encode(config).write(to: URL(fileURLWithPath: "\(directory)/config.json"))
        let swagger = PackageRoot.url.appendingPathComponent("Tests/Fixtures/reconcilers/argocd-swagger.json").path
        (child, port) = try ChildProcess.startPythonServer("argocd_api.py", ["\(directory)/config.json", "\(directory)/log.jsonl", swagger],
                                                          in: URL(fileURLWithPath: directory))
    }

    deinit {
        child.kill()
        child.wait()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Every request so far, as the server judged it.
    var log: [[String: Any]] {
        guard let text = try? String(contentsOfFile: "\(directory)/log.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Requests whose verdict is not "ok" (an undeclared parameter, an answer off the schema, …).
    var refused: [String] { log.compactMap { $0["verdict"] as? String }.filter { $0 != "ok" } }
}

struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
