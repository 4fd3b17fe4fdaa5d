import CapstanTestSupport
import Foundation
import Testing

/// `capstan wait` against a loopback Argo CD API playing real rollout sequences; every
/// request and answer checked against Argo CD's own API description.
@Suite struct ArgoWaitTests {
    struct Run {
        let output: ChildProcess.Output
        let server: ArgoServer
        let repository: WaitFixtures.Repository
        let githubOutput: String
    }

    /// Makes a repository with one Argo CD app per sequence, serves them, and runs
    /// `capstan wait --changed BASE..MERGE` with `extra` arguments.
    func wait(_ sequences: [String: String], extra: [String] = [], token: String? = nil) throws -> Run {
        let repository = try WaitFixtures.repository(apps: sequences.keys.sorted(), flavour: .argo)
        let server = try ArgoServer(apps: sequences.mapValues {
            ArgoServer.App(sequence: $0, merge: repository.merge, old: repository.base, other: repository.other,
                           repo: WaitFixtures.repositoryURL)
        })
        let id = UUID().uuidString
        let githubOutput = "\(repository.path)/../github-output-\(id)"
        let dotenv = "\(repository.path)/../dotenv-\(id)"
        let output = try WaitFixtures.capstan(
            ["wait", "--changed", "\(repository.base)..\(repository.merge)", "--repository", repository.path,
             "--argocd-server", server.url, "--poll-interval", "1s", "--timeout", "40s", "--output", "json"] + extra,
            in: repository.path, environment: ["ARGOCD_AUTH_TOKEN": token ?? server.token, "GITHUB_OUTPUT": githubOutput, "CAPSTAN_DOTENV": dotenv])
        return Run(output: output, server: server, repository: repository, githubOutput: githubOutput)
    }

    func apps(_ run: Run) -> [[String: Any]] {
        ((run.output.json["rollout"] as? [String: Any])?["apps"] as? [[String: Any]]) ?? []
    }

    func result(_ run: Run) -> String? {
        (run.output.json["rollout"] as? [String: Any])?["result"] as? String
    }

    @Test func aRolloutIsFollowedThroughEveryStageToHealthyAtTheMerge() throws {
        let run = try wait(["checkout": "rollout"])
        #expect(run.output.status == 0, "\(run.output.err)")
        #expect(result(run) == "rolled-out")
        #expect(run.server.refused.isEmpty, "\(run.server.refused)")
        // The first look asks for refresh=normal; no later one does.
        let refreshes = run.server.log.map { ($0["query"] as? [String: [String]])?["refresh"]?.first }
        #expect(refreshes.first == "normal")
        #expect(refreshes.dropFirst().allSatisfy { $0 == nil })
        // Every stage was seen, and none before the last counted as rolled out.
        #expect(run.server.log.compactMap { $0["stage"] as? String } == [
            "synced-old", "out-of-sync", "syncing", "synced-old-again", "synced-not-reassessed", "progressing", "healthy",
        ])
        let verdict = try #require(apps(run).first?["verdict"] as? [String: Any])
        #expect(verdict["revision"] as? String == run.repository.merge)
        #expect(verdict["relation"] as? String == "target")
        #expect(verdict["health"] as? String == "Healthy")
        #expect(run.output.err.contains("argocd-application checkout: waiting, revision \(run.repository.base.prefix(7)) (ancestor), sync Synced"))
        #expect(run.output.err.contains("argocd-application checkout: rolled-out, revision \(run.repository.merge.prefix(7)) (target)"))
        let outputs = try String(contentsOfFile: run.githubOutput, encoding: .utf8)
        #expect(outputs.contains("rollout=rolled-out\n"))
        #expect(outputs.contains("rollout-sha=\(run.repository.merge)\n"))
        let dotenv = try String(contentsOfFile: run.githubOutput.replacingOccurrences(of: "github-output-", with: "dotenv-"), encoding: .utf8)
        #expect(dotenv.contains("CAPSTAN_ROLLOUT=rolled-out\n"))
        #expect(dotenv.contains("CAPSTAN_ROLLOUT_UNFINISHED=\n"))
    }

    @Test func degradedAtTheMergeFailsWithTheUnhealthyResources() throws {
        let run = try wait(["checkout": "degraded"])
        #expect(run.output.status == 3, "\(run.output.err)")
        #expect(result(run) == "failed")
        let messages = (apps(run).first?["verdict"] as? [String: Any])?["messages"] as? [String] ?? []
        #expect(messages.contains("Deployment shop/app: Degraded: Deployment \"app\" exceeded its progress deadline"))
        #expect(run.server.refused.isEmpty, "\(run.server.refused)")
    }

    @Test func aFailedSyncOperationFailsWithArgoCDsMessages() throws {
        let run = try wait(["checkout": "failed"])
        #expect(run.output.status == 3, "\(run.output.err)")
        let messages = (apps(run).first?["verdict"] as? [String: Any])?["messages"] as? [String] ?? []
        #expect(messages.first?.hasPrefix("one or more objects failed to apply") == true)
        #expect(messages.contains("Deployment shop/app: Deployment.apps \"app\" is invalid: spec.replicas: Invalid value: -1"))
    }

    @Test func anAppThatNeverSeesTheMergeTimesOut() throws {
        let run = try wait(["checkout": "never"], extra: ["--timeout", "4s"])
        #expect(run.output.status == 7, "\(run.output.err)")
        #expect(result(run) == "timed-out")
        #expect((apps(run).first?["verdict"] as? [String: Any])?["relation"] as? String == "ancestor")
    }

    @Test func anotherRevisionThatSticksFails() throws {
        let run = try wait(["checkout": "unrelated"])
        #expect(run.output.status == 3, "\(run.output.err)")
        let messages = (apps(run).first?["verdict"] as? [String: Any])?["messages"] as? [String] ?? []
        #expect(messages.last?.contains("another branch or revision is pinned") == true)
        #expect(run.server.log.count == 3)
    }

    @Test func aMultiSourceAppWaitsForEverySourceFromTheReleaseRepository() throws {
        let run = try wait(["checkout": "multisource"])
        #expect(run.output.status == 0, "\(run.output.err)")
        #expect(run.server.log.compactMap { $0["stage"] as? String } == ["synced-old", "one-source-at-merge", "all-sources-at-merge"])
        #expect(run.server.refused.isEmpty, "\(run.server.refused)")
    }

    @Test func twentyAppsCostOneRequestPerUnfinishedAppPerPoll() throws {
        var sequences: [String: String] = [:]
        for index in 1...20 { sequences["app\(index)"] = index % 2 == 0 ? "rollout" : "multisource" }
        let run = try wait(sequences)
        #expect(run.output.status == 0, "\(run.output.err)")
        let rollout = try #require(run.output.json["rollout"] as? [String: Any])
        let polls = try #require(rollout["polls"] as? Int)
        let requests = try #require(rollout["requests"] as? Int)
        #expect(run.server.log.count == requests)
        #expect(requests <= 20 * polls)
        for app in apps(run) {
            let name = (app["target"] as? [String: Any])?["name"] as? String
            let served = run.server.log.filter { $0["app"] as? String == name }.count
            #expect(served == app["polls"] as? Int, "\(name ?? "?")")
        }
        // Finished apps are not asked again: multi-source apps finish after 3 polls, the others after 7.
        #expect(requests == 10 * 3 + 10 * 7)
    }

    @Test func aRejectedTokenIsNotARolloutFailure() throws {
        let run = try wait(["checkout": "rollout"], token: "wrong")
        #expect(run.output.status == 1)
        #expect(run.output.err.contains("HTTP 401: invalid session: token signature is invalid"))
        #expect(!run.output.err.contains("wrong"))
    }

    @Test func namedAppsWithAnAbbreviatedMergeCommit() throws {
        let repository = try WaitFixtures.repository(apps: ["checkout", "payments"], flavour: .argo)
        let server = try ArgoServer(apps: ["checkout": .init(sequence: "multisource", merge: repository.merge, old: repository.base,
                                                             repo: WaitFixtures.repositoryURL)])
        let output = try WaitFixtures.capstan(
            ["wait", "--app", "checkout", "--merge", String(repository.merge.prefix(10)), "--repository", repository.path,
             "--argocd-server", server.url, "--poll-interval", "1s", "--timeout", "20s"],
            in: repository.path, environment: ["ARGOCD_AUTH_TOKEN": server.token])
        #expect(output.status == 0, "\(output.err)")
        #expect(output.out.hasPrefix("rollout of \(repository.merge.prefix(7)): rolled-out after"), "\(output.out)")
        #expect(Set(server.log.compactMap { $0["app"] as? String }) == ["checkout"])
    }

    @Test func withoutAChangeOrAppsItIsAUsageError() throws {
        let directory = try WaitFixtures.temporaryDirectory("usage")
        let output = try WaitFixtures.capstan(["wait", "--argocd-server", "http://127.0.0.1:9"], in: directory)
        #expect(output.status == 2)
        #expect(output.err.contains("give one of --changed BASE..MERGE"))
    }

    /// Someone merged after us and Argo CD already deployed that: the checkout lacks the
    /// commit, so capstan fetches it from the remote and finds it a descendant of the merge.
    @Test func aLaterCommitTheCheckoutLacksIsFetchedAndCounts() throws {
        let repository = try WaitFixtures.repository(apps: ["checkout"], flavour: .argo)
        let origin = "\(repository.path)-origin.git"
        try WaitFixtures.git(["clone", "-q", "--bare", repository.path, origin], in: repository.path)
        let other = "\(repository.path)-other"
        try WaitFixtures.git(["clone", "-q", origin, other], in: repository.path)
        try "# later\n".write(toFile: "\(other)/NOTES.md", atomically: true, encoding: .utf8)
        try WaitFixtures.git(["add", "-A"], in: other)
        try WaitFixtures.git(["commit", "-q", "-m", "later"], in: other)
        try WaitFixtures.git(["push", "-q", "origin", "main"], in: other)
        let later = try WaitFixtures.git(["rev-parse", "HEAD"], in: other)
        try WaitFixtures.git(["remote", "set-url", "origin", origin], in: repository.path)
        let server = try ArgoServer(apps: ["checkout": .init(sequence: "rollout", merge: later, old: repository.base,
                                                             repo: WaitFixtures.repositoryURL)])
        let output = try WaitFixtures.capstan(
            ["wait", "--changed", "\(repository.base)..\(repository.merge)", "--repository", repository.path,
             "--repo-url", WaitFixtures.repositoryURL, "--argocd-server", server.url, "--poll-interval", "1s", "--timeout", "20s",
             "--output", "json"],
            in: repository.path, environment: ["ARGOCD_AUTH_TOKEN": server.token])
        #expect(output.status == 0, "\(output.err)")
        let app = ((output.json["rollout"] as? [String: Any])?["apps"] as? [[String: Any]])?.first
        #expect((app?["verdict"] as? [String: Any])?["relation"] as? String == "descendant")
        #expect((app?["verdict"] as? [String: Any])?["revision"] as? String == later)
    }
}
