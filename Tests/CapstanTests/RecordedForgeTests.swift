import CapstanTestSupport
import Foundation
import Testing

/// Capstan against answers the real forges gave, recorded by public API client projects
/// (Tests/Fixtures/forges/recorded, provenance in its README), replayed in order on loopback:
/// each request Capstan sends must be the recorded one.
@Suite struct RecordedForgeTests {
    /// Replays `recording` and returns what reached the server.
    private func replay(_ recording: String, prefix: String, _ runs: [[String]], project: String,
                        forge: String) throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        let root = try TestSupport.temporaryDirectory("recorded-\(forge)")
        defer { try? FileManager.default.removeItem(at: root) }
        let log = root.appendingPathComponent("replay.jsonl")
        let file = TestSupport.fixtures.appendingPathComponent("forges/recorded/\(recording)")
        let (server, port) = try ChildProcess.startPythonServer("replay_forge.py", [file.path, log.path, "--prefix", prefix], in: root)
        defer {
            server.kill()
            server.wait()
        }
        let flags = ["--forge", forge, "--forge-url", "http://127.0.0.1:\(port)", "--project", project, "--token-env", "FORGE_TOKEN",
                     "--retry-backoff", "0.01"]
        let results = try runs.map { try TestSupport.capstan($0 + flags, environment: ["FORGE_TOKEN": "0000000000000000000000000000000000000001"]) }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let entries = text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        return (results, entries)
    }

    /// octokit/fixtures create-status: a failure and a success status posted on a commit.
    @Test func gitHubCreateStatus() throws {
        let sha = "0000000000000000000000000000000000000001"
        let (results, log) = try replay("github/create-status.json", prefix: "/api/v3", [
            ["pr", "status", "--sha", sha, "--state", "failure", "--context", "example/1", "--description", "create-status failure test",
             "--target-url", "https://example.com"],
            ["pr", "status", "--sha", sha, "--state", "success", "--context", "example/2", "--description", "create-status success test",
             "--target-url", "https://example.com"],
        ], project: "octokit-fixture-org/create-status", forge: "github")
        for result in results { #expect(result.status == 0, "\(result.stdout)\(result.stderr)") }
        #expect(log.count == 2 && log.allSatisfy { $0["matched"] as? Bool == true }, "\(log)")
    }
}

extension RecordedForgeTests {
    /// go-gitlab's recorded gitlab.com answer for a merge request, replayed to `pr merge --auto`
    /// would need more than one exchange; `pr close`, `pr status` likewise. The strict reader
    /// must take the real answer as it is: read through `pr status --pr` up to the PR.
    @Test func gitLabMergeRequestAnswerIsReadAsItIs() throws {
        let (results, log) = try replay("gitlab/get-merge-request.json", prefix: "/api/v4", [
            ["pr", "status", "--pr", "14656", "--output", "json"],
        ], project: "gitlab-org/gitlab-ee", forge: "gitlab")
        // The MR is read; the statuses that follow were not recorded, so the replay refuses them.
        #expect(log.first?["matched"] as? Bool == true, "\(log)")
        #expect(log.count == 2 && log.last?["matched"] as? Bool == false, "\(log)")
        #expect(results.first?.stderr.contains("replay mismatch") == true, "\(results.first?.stderr ?? "")")
        #expect(results.first?.stderr.contains("is missing") == false, "the real answer was refused: \(results.first?.stderr ?? "")")
    }
}
