import Foundation

/// Tests/Support/argocd_api.py on a loopback port: Argo CD's ApplicationService_Get,
/// checked against the trimmed swagger.json, playing a rollout sequence per app.
public final class ArgoServer {
    public struct App: Encodable {
        let sequence: String
        let merge: String
        let old: String
        let other: String
        let repo: String
        let namespace: String
        /// A bare repository whose `main` the app follows once it moves past `merge` (a revert merged).
        let follow: String?
        /// `follow-main`: the first new tip degrades.
        let degradeFirst: Bool

        public init(sequence: String, merge: String, old: String, other: String = "", repo: String, namespace: String = "argocd",
                    follow: String? = nil, degradeFirst: Bool = false) {
            self.sequence = sequence
            self.merge = merge
            self.old = old
            self.other = other
            self.repo = repo
            self.namespace = namespace
            self.follow = follow
            self.degradeFirst = degradeFirst
        }
    }

    public let port: Int
    public let token: String
    private let child: ChildProcess
    private let directory: String

    public init(apps: [String: App], token: String = "argocd-test-token") throws {
        self.token = token
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-argocd-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
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

    public var url: String { "http://127.0.0.1:\(port)" }

    /// Every request so far, as the server judged it.
    public var log: [[String: Any]] { ServerLog.entries(in: "\(directory)/log.jsonl") }

    /// Requests whose verdict is not "ok" (an undeclared parameter, an answer off the schema, …).
    public var refused: [String] { ServerLog.refused(log) }
}

/// The request log a loopback server of Tests/Support writes: one JSON object a line, each
/// with the server's "verdict" on the request ("ok", or what was wrong).
public enum ServerLog {
    public static func entries(in path: String) -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    public static func refused(_ entries: [[String: Any]]) -> [String] {
        entries.compactMap { $0["verdict"] as? String }.filter { $0 != "ok" }
    }
}

public struct AnyEncodable: Encodable {
    let value: any Encodable
    public init(_ value: any Encodable) { self.value = value }
    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
