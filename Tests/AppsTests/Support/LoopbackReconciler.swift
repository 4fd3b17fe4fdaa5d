import CapstanTestSupport
import Foundation

/// Tests/Support/reconciler_receiver.py on a loopback port: Flux Receivers and Argo CD's
/// webhook and API, checking signatures as the real ones do and logging each request.
final class LoopbackReconciler {
    struct Configuration: Encodable {
        struct Receiver: Encodable {
            let name: String
            let namespace: String
            let type: String
            let token: String
            var events: [String] = ["push"]
        }

        var receivers: [Receiver] = []
        var argoToken = "argo-token"
        var argoApps: [String] = []
        var argoWebhookSecret: String?
        var argoRepository = "https://github.com/acme/release-repo.git"
    }

    let port: Int
    let webhookPaths: [String: String]
    private let child: Spawned
    private let directory: String

    init(_ configuration: Configuration) throws {
        directory = try Fixtures.temporaryDirectory("receiver")
        let ready = "\(directory)/ready.json"
        let config = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        child = try Spawned.start(["python3", Fixtures.receiverScript, ready, "\(directory)/log.jsonl", config])
        var waited = 0
        while !FileManager.default.fileExists(atPath: ready) {
            guard waited < 2000 else {
                child.stop()
                throw FixtureError("the loopback receiver did not start: \(child.output)")
            }
            usleep(5000)
            waited += 1
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: ready))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        port = object["port"] as? Int ?? 0
        webhookPaths = object["webhookPaths"] as? [String: String] ?? [:]
    }

    deinit {
        child.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var base: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// The URL of a Flux Receiver by name (its status.webhookPath on this server).
    func receiverURL(_ name: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(webhookPaths[name] ?? "/hook/none")")! }

    /// Every request received so far, as the server judged it.
    var log: [[String: Any]] {
        guard let text = try? String(contentsOfFile: "\(directory)/log.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}
