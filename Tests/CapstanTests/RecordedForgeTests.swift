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
        try Self.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/\(recording)"), prefix: prefix, runs,
                        project: project, forge: forge)
    }

    /// Replays the exchanges in `file` (recorded, or written by a test) in order.
    /// `origin`: the recorded service's origin, which the server turns into its own address in
    /// recorded header values (next-page links).
    static func replay(file: URL, prefix: String, _ runs: [[String]], project: String, forge: String,
                       origin: String? = nil) throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        let root = try TestSupport.temporaryDirectory("recorded-\(forge)")
        defer { try? FileManager.default.removeItem(at: root) }
        let log = root.appendingPathComponent("replay.jsonl")
        let (server, port) = try ChildProcess.startPythonServer("replay_forge.py", [file.path, log.path, "--prefix", prefix]
                                                                   + (origin.map { ["--origin", $0] } ?? []), in: root)
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

    /// Whether the server saw exactly `count` requests, each the recorded one.
    static func allMatched(_ log: [[String: Any]], _ count: Int) -> Bool {
        log.count == count && log.allSatisfy { $0["matched"] as? Bool == true }
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
        for result in results {
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            // A status on a bare commit prints that commit (there is no PR number or page to print).
            #expect(result.stdout == "\(sha)\n", "\(result.stdout)")
        }
        #expect(Self.allMatched(log, 2), "\(log)")
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

extension RecordedForgeTests {
    /// gitea.com's recorded pull-request list (Gitea's migration tests): `pr find --head`
    /// picks the open PR from the real list, then `pr find 13` reads it by number.
    @Test func giteaFindsThePullRequestInTheRealList() throws {
        let (results, log) = try replay("gitea/pulls.json", prefix: "/api/v1", [
            ["pr", "find", "--head", "6543-patch-1", "--base", "master", "--output", "json"],
            ["pr", "find", "13", "--output", "json"],
        ], project: "gitea/test_repo", forge: "gitea")
        #expect(Self.allMatched(log, 2), "\(log)")
        for result in results {
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("https://gitea.com/gitea/test_repo/pulls/13"), "\(result.stdout)")
            #expect(result.stdout.contains("0ba7693bfd50d26df7f1b7414e937786c5efb05d"), "\(result.stdout)")
        }
    }

    /// bitbucket.org's answers kept by atlassian-python-api: a PR read by number (12-character
    /// hashes, as Bitbucket gives them), then declined by `pr close`.
    @Test func bitbucketCloudReadsAndDeclinesTheRealPullRequest() throws {
        let (results, log) = try replay("bitbucket-cloud/pull-request-decline.json", prefix: "", [
            ["pr", "find", "1", "--output", "json"],
            ["pr", "close", "1", "--output", "json"],
        ], project: "TestWorkspace1/testrepository1", forge: "bitbucket-cloud")
        #expect(Self.allMatched(log, 2), "\(log)")
        for result in results { #expect(result.status == 0, "\(result.stdout)\(result.stderr)") }
        #expect(results.first?.stdout.contains("16182c4123fb") == true, "\(results.first?.stdout ?? "")")
        #expect(results.first?.stdout.contains("https://bitbucket.org/TestWorkspace1/testrepository1/pull-requests/1") == true,
                "\(results.first?.stdout ?? "")")
        #expect(results.last?.stdout.contains("closed") == true, "\(results.last?.stdout ?? "")")
    }
}

extension RecordedForgeTests {
    /// go-gitlab's recorded gitlab.com list of open merge requests: `pr find --head` picks
    /// the one from that branch and skips the other.
    @Test func gitLabFindsTheMergeRequestInTheRealList() throws {
        let (results, log) = try replay("gitlab/list-merge-requests.json", prefix: "/api/v4", [
            ["pr", "find", "--head", "12055-public-mr-approval-rules-api", "--base", "master", "--output", "json"],
        ], project: "gitlab-org/gitlab-ee", forge: "gitlab")
        #expect(log.count == 1 && log.first?["matched"] as? Bool == true, "\(log)")
        #expect(results.first?.status == 0, "\(results.first?.stderr ?? "")")
        #expect(results.first?.stdout.contains("merge_requests/15441") == true, "\(results.first?.stdout ?? "")")
        #expect(results.first?.stdout.contains("dbb2b82236b86328f44a1754c9188c0991e707e5") == true, "\(results.first?.stdout ?? "")")
    }
}

extension RecordedForgeTests {
    /// api.github.com's recorded pull-request list (Gitea's GitHub migration tests), with its
    /// real rate-limit headers: the merged PR from `master` is read, and is not an open one.
    @Test func gitHubMergedPullRequestInTheRealListIsNotTakenAsOpen() throws {
        let (results, log) = try replay("github/list-pulls.json", prefix: "/api/v3", [
            ["pr", "find", "--head", "master", "--base", "master"],
        ], project: "go-gitea/test_repo", forge: "github")
        #expect(log.count == 1 && log.first?["matched"] as? Bool == true, "\(log)")
        #expect(results.first?.status == 1, "\(results.first?.stdout ?? "")\(results.first?.stderr ?? "")")
        #expect(results.first?.stderr.contains("no open PR from master into master") == true, "\(results.first?.stderr ?? "")")
    }
}

extension RecordedForgeTests {
    /// A Bitbucket Server answer kept by Jenkins' bitbucket-branch-source-plugin: the open PR
    /// from release/release-1 is found in the real list, then read by number.
    @Test func bitbucketDataCenterFindsAndReadsTheRealPullRequest() throws {
        let (found, foundLog) = try replay("bitbucket-datacenter/list-pull-requests.json", prefix: "/rest/api/latest", [
            ["pr", "find", "--head", "release/release-1", "--base", "main", "--output", "json"],
        ], project: "AMUNIZ/test-repos", forge: "bitbucket-datacenter")
        #expect(foundLog.count == 1 && foundLog.first?["matched"] as? Bool == true, "\(foundLog)")
        #expect(found.first?.status == 0, "\(found.first?.stderr ?? "")")
        #expect(found.first?.stdout.contains("http://localhost:7990/projects/AMUNIZ/repos/test-repos/pull-requests/1") == true,
                "\(found.first?.stdout ?? "")")
        #expect(found.first?.stdout.contains("bf0e8b7962c024026ad01ae09d3a11732e26c0d4") == true, "\(found.first?.stdout ?? "")")

        let (read, readLog) = try replay("bitbucket-datacenter/get-pull-request.json", prefix: "/rest/api/latest", [
            ["pr", "find", "1", "--output", "json"],
        ], project: "AMUNIZ/test-repos", forge: "bitbucket-datacenter")
        #expect(readLog.count == 1 && readLog.first?["matched"] as? Bool == true, "\(readLog)")
        #expect(read.first?.status == 0, "\(read.first?.stderr ?? "")")
        #expect(read.first?.stdout.contains("\"state\" : \"open\"") == true, "\(read.first?.stdout ?? "")")
        #expect(read.first?.stdout.contains("release/release-1") == true, "\(read.first?.stdout ?? "")")
    }

    /// The same real list holds PR 2 from feature/BB-2 of a fork (test-repos-fork): it is not a
    /// PR from this repository's branch, so `pr find --head feature/BB-2` must not take it
    /// (`pr open` would otherwise update someone else's fork PR instead of opening its own).
    @Test func bitbucketDataCenterDoesNotTakeAForkPullRequestAsItsOwn() throws {
        let (results, log) = try replay("bitbucket-datacenter/list-pull-requests.json", prefix: "/rest/api/latest", [
            ["pr", "find", "--head", "feature/BB-2", "--base", "main"],
        ], project: "AMUNIZ/test-repos", forge: "bitbucket-datacenter")
        #expect(log.count == 1 && log.first?["matched"] as? Bool == true, "\(log)")
        #expect(results.first?.status == 1, "\(results.first?.stdout ?? "")\(results.first?.stderr ?? "")")
        #expect(results.first?.stderr.contains("no open PR from feature/BB-2 into main") == true, "\(results.first?.stderr ?? "")")
    }
}

extension RecordedForgeTests {
    /// bitbucket.org's answer to a comment posted on PR 1 (atlassian-python-api), then the PR
    /// read back, as `pr comment` does.
    @Test func bitbucketCloudCommentsOnTheRealPullRequest() throws {
        let (results, log) = try replay("bitbucket-cloud/pull-request-comment.json", prefix: "", [
            ["pr", "comment", "1", "--body", "hello world", "--output", "json"],
        ], project: "TestWorkspace1/testrepository1", forge: "bitbucket-cloud")
        #expect(Self.allMatched(log, 2), "\(log)")
        #expect(results.first?.status == 0, "\(results.first?.stderr ?? "")")
        #expect(results.first?.stdout.contains("commented") == true, "\(results.first?.stdout ?? "")")
    }
}

extension RecordedForgeTests {
    /// Each recording names its source (with its licence) and what was rewritten, and the
    /// README's table lists it: a recording nobody can trace back is not kept.
    @Test func everyRecordingNamesItsSourceAndIsListed() throws {
        let root = TestSupport.fixtures.appendingPathComponent("forges/recorded")
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let forges = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { !$0.hasSuffix(".md") }
        #expect(forges.count == 6, "\(forges)")
        for forge in forges {
            for file in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(forge).path) {
                let name = "\(forge)/\(file)"
                let data = try Data(contentsOf: root.appendingPathComponent(name))
                let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name)")
                #expect((document["source"] as? String)?.isEmpty == false, "\(name) names no source")
                #expect(document["rewritten"] is String, "\(name) says nothing of what was rewritten")
                #expect(readme.contains("`\(name)`"), "recorded/README.md does not list \(name)")
            }
        }
    }
}
