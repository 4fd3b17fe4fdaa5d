import CapstanTestSupport
import Foundation
import Testing

/// A PR from a fork's branch of the same name is someone else's: `pr find --head` (and so
/// `pr open`, which would update it instead of opening its own) must not take it. The
/// answers are written by the test in each forge's list shape (the real Bitbucket Data
/// Center list in RecordedForgeTests holds such a PR; these forges' recordings do not).
@Suite struct ForkPullRequestTests {
    private static let head = "capstan/checkout"

    private static func answers() -> [String: (prefix: String, path: String, project: String, list: Any)] { [
        "gitlab": ("/api/v4", "/projects/acme%2Frelease/merge_requests", "acme/release", [[
            "iid": 3, "web_url": "https://gitlab.example/acme/release/-/merge_requests/3", "title": "from a fork", "description": "",
            "state": "opened", "source_branch": head, "target_branch": "main", "sha": String(repeating: "a", count: 40),
            "source_project_id": 99, "target_project_id": 7, "labels": [String](), "draft": false, "merge_status": "can_be_merged",
        ] as [String: Any]]),
        "bitbucket-cloud": ("", "/repositories/acme/release/pullrequests", "acme/release", ["values": [[
            "id": 3, "title": "from a fork", "state": "OPEN", "links": ["html": ["href": "https://bitbucket.org/acme/release/pull-requests/3"]],
            "source": ["branch": ["name": head], "commit": ["hash": "aaaaaaaaaaaa"], "repository": ["full_name": "someone/release-fork"]],
            "destination": ["branch": ["name": "main"], "commit": ["hash": "bbbbbbbbbbbb"], "repository": ["full_name": "acme/release"]],
        ] as [String: Any]], "pagelen": 50] as [String: Any]),
        // Gitea's list has no head filter and carries fork PRs (gitea.com's recorded list,
        // gitea/pulls.json, holds PR 12 from 6543-forks/test_repo): the repositories' ids tell them apart.
        "gitea": ("/api/v1", "/repos/acme/release/pulls", "acme/release", [[
            "number": 3, "html_url": "https://gitea.example/acme/release/pulls/3", "title": "from a fork", "body": "", "state": "open",
            "merged": false, "mergeable": true, "labels": [String](),
            "head": ["ref": head, "sha": String(repeating: "a", count: 40), "repo_id": 99, "repo": ["id": 99, "full_name": "someone/release"]],
            "base": ["ref": "main", "sha": String(repeating: "b", count: 40), "repo_id": 7, "repo": ["id": 7, "full_name": "acme/release"]],
        ] as [String: Any]]),
    ] }

    @Test(arguments: ["gitlab", "bitbucket-cloud", "gitea"])
    func aForksPullRequestFromABranchOfTheSameNameIsNotTaken(kind: String) throws {
        let answer = try #require(Self.answers()[kind])
        let root = try TestSupport.temporaryDirectory("fork-\(kind)")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("answers.json")
        let exchanges: [[String: Any]] = [["method": "GET", "path": answer.path, "status": 200, "response": answer.list]]
        try JSONSerialization.data(withJSONObject: ["exchanges": exchanges]).write(to: file)
        let (results, log) = try RecordedForgeTests.replay(file: file, prefix: answer.prefix, [
            ["pr", "find", "--head", Self.head, "--base", "main"],
        ], project: answer.project, forge: kind)
        #expect(log.first?["matched"] as? Bool == true, "\(log)")
        #expect(results.first?.status == 1, "the fork's PR was taken: \(results.first?.stdout ?? "")")
        #expect(results.first?.stderr.contains("no open PR from \(Self.head) into main") == true, "\(results.first?.stderr ?? "")")
    }
}
