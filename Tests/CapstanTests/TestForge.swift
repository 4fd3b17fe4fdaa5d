import CapstanTestSupport
import Foundation

/// The loopback test forge (Tests/Support/test_forge.py): one forge kind's REST API over
/// real bare repositories it also serves through `git http-backend`.
final class TestForge {
    let kind: String
    let root: URL
    let faults: URL
    let port: Int
    let token: String
    private let process: ChildProcess
    private var faultCount = 0

    static let specs: URL = {
        if let override = ProcessInfo.processInfo.environment["CAPSTAN_FORGE_SPECS"] { return URL(fileURLWithPath: override) }
        return TestSupport.fixtures.appendingPathComponent("forges/specs")
    }()

    /// `tls`: serve HTTPS with this certificate and key. `pageSize`: answer every list in
    /// pages of at most this many items, so every list a test reads is paginated.
    init(kind: String, root: URL, token: String, tls: (URL, URL)? = nil, pageSize: Int? = nil) throws {
        self.kind = kind
        self.root = root
        self.token = token
        faults = root.appendingPathComponent("forge-faults")
        try FileManager.default.createDirectory(at: faults, withIntermediateDirectories: true)
        let errors = open(root.appendingPathComponent("forge-stderr").path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(errors) }
        (process, port) = try ChildProcess.startPythonServer("test_forge.py", [
            "--kind", kind, "--root", root.appendingPathComponent("repos").path, "--token", token, "--faults", faults.path,
        ] + (tls.map { ["--tls-cert", $0.0.path, "--tls-key", $0.1.path] } ?? []) + (pageSize.map { ["--page-size", "\($0)"] } ?? []),
            in: root, stderr: errors)
    }

    deinit {
        process.kill()
        process.wait()
    }

    /// A bare repository `owner/name` whose `main` holds `files`.
    @discardableResult
    func repository(_ project: String, files: [String: String]) throws -> URL {
        let parts = project.split(separator: "/").map(String.init)
        let directory = root.appendingPathComponent("repos/\(parts[0])")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try GitFixtures.bareRepository(in: directory, name: parts[1], files: files)
    }

    func cloneURL(_ project: String) -> String { "http://127.0.0.1:\(port)/\(project).git" }
    var webURL: String { "http://127.0.0.1:\(port)" }
    /// What to give as --forge-url: the web root, or the API root where it has its own host.
    var apiRoot: String {
        switch kind {
        case "bitbucket-cloud": webURL + "/2.0"
        case "azure-devops": webURL + "/acme"
        default: webURL
        }
    }

    /// Asks the forge to misbehave (see test_forge.py for the fault objects).
    func inject(_ fault: String) throws {
        faultCount += 1
        try Data(fault.utf8).write(to: faults.appendingPathComponent(String(format: "fault-%03d.json", faultCount)))
    }

    /// Every PR the forge holds, from its state file.
    var pullRequests: [[String: Any]] {
        guard let data = try? Data(contentsOf: faults.appendingPathComponent("state.json")),
              let state = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let pulls = state["pulls"] as? [String: [String: Any]] else { return [] }
        return pulls.values.sorted { ($0["number"] as? Int ?? 0) < ($1["number"] as? Int ?? 0) }
    }

    /// Every PR comment the forge holds (number, body, …), from its state file.
    var comments: [[String: Any]] {
        guard let data = try? Data(contentsOf: faults.appendingPathComponent("state.json")),
              let state = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        return state["comments"] as? [[String: Any]] ?? []
    }

    /// The API requests the forge answered, in order.
    var apiLog: [[String: Any]] {
        let text = (try? String(contentsOf: faults.appendingPathComponent("api.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Runs the spec checker over everything logged so far.
    func checkAgainstSpecs() throws -> TestSupport.Result {
        try TestSupport.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", TestSupport.packageRoot.appendingPathComponent("Tests/Support/check_forge_log.py").path,
            "--kind", kind == "forgejo" ? "gitea" : kind, "--specs", Self.specs.path, faults.appendingPathComponent("api.jsonl").path,
        ], environment: ["PATH": "/usr/bin:/bin:/usr/local/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "")])
    }
}
