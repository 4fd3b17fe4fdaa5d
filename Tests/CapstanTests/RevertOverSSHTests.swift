import Foundation
import Testing

/// `capstan pr revert` pushing its branch over SSH (`--ssh-key`, `--known-hosts`) while it
/// talks to the forge's API over HTTP: sshd serves the very bare repository the loopback
/// test forge holds, so the revert PR the forge opens is over what arrived by SSH.
@Suite struct RevertOverSSHTests {
    static let token = PullRequestTests.token
    static let project = PullRequestTests.project

    /// A forge that has merged PR N (opened over HTTP by `update --open-pr`, green, merged
    /// by `capstan pr merge`), sshd beside it, and the tree of `main` before the merge.
    private struct MergedRelease {
        let forge: TestForge
        let bare: URL
        let sshd: SSHServer
        let number: Int
        let treeBeforeMerge: String
        let mainAfterMerge: String
    }

    private func mergedRelease(_ label: String) throws -> MergedRelease? {
        let root = try TestSupport.temporaryDirectory("revert-ssh-\(label)")
        let sshDirectory = root.appendingPathComponent("sshd")
        try FileManager.default.createDirectory(at: sshDirectory, withIntermediateDirectories: true)
        // Like GitHub's, the server has an ECDSA key too, which libgit2 asks for first.
        guard let sshd = try SSHServer.start(in: sshDirectory, alsoOffering: ["ecdsa"]) else {
            try? FileManager.default.removeItem(at: root)
            print("note: sshd cannot run here (not installed or not root); pr revert over SSH not exercised")
            return nil
        }
        let forge = try TestForge(kind: "github", root: root, token: Self.token)
        let bare = try forge.repository(Self.project, files: ["values.yaml": PullRequestTests.values])
        // Reflogs record who pushed each branch: sshd's sessions or the forge's http-backend.
        try GitFixtures.git(["config", "core.logAllRefUpdates", "always"], in: bare)
        let treeBeforeMerge = try rev(bare, "main^{tree}")

        let opened = try capstan(["update", "--branch", "capstan/checkout", "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr",
                                  "--output", "json"] + apiFlags(forge) + ["--repo", forge.cloneURL(Self.project)])
        try #require(opened.status == 0, "\(opened.stderr)")
        let number = try #require((try json(opened)["pullRequest"] as? [String: Any])?["number"] as? Int)
        let green = try capstan(["pr", "status", "--pr", "\(number)", "--state", "success", "--context", "ci"] + apiFlags(forge))
        try #require(green.status == 0, "\(green.stderr)")
        let merged = try capstan(["pr", "merge", "\(number)", "--wait", "10"] + apiFlags(forge))
        try #require(merged.status == 0, "\(merged.stderr)")
        return MergedRelease(forge: forge, bare: bare, sshd: sshd, number: number, treeBeforeMerge: treeBeforeMerge,
                             mainAfterMerge: try rev(bare, "main"))
    }

    /// The forge's API (over HTTP) and project; no --repo.
    private func apiFlags(_ forge: TestForge) -> [String] {
        ["--token-env", "FORGE_TOKEN", "--forge", "github", "--forge-url", forge.apiRoot, "--project", Self.project,
         "--poll-interval", "0.1", "--retry-backoff", "0.05"]
    }

    private func revertOverSSH(_ release: MergedRelease, knownHosts: URL) throws -> TestSupport.Result {
        try capstan(["pr", "revert", "\(release.number)", "--repo", release.sshd.url(release.bare),
                     "--ssh-key", release.sshd.clientKey.path, "--known-hosts", knownHosts.path,
                     "--author", "Release Bot <bot@acme.example>", "--output", "json"] + apiFlags(release.forge))
    }

    private func capstan(_ arguments: [String]) throws -> TestSupport.Result {
        let result = try TestSupport.capstan(arguments, environment: ["FORGE_TOKEN": Self.token])
        #expect(!result.stdout.contains(Self.token) && !result.stderr.contains(Self.token), "the token was printed")
        return result
    }

    private func json(_ result: TestSupport.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\n\(result.stderr)")
    }

    private func rev(_ bare: URL, _ revision: String) throws -> String {
        try GitFixtures.git(["rev-parse", revision], in: bare).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Who pushed each update of `branch`, from the bare repository's reflog.
    private func pushers(_ bare: URL, _ branch: String) throws -> [String] {
        try GitFixtures.git(["reflog", "show", "--format=%gn <%ge>", "refs/heads/\(branch)"], in: bare)
            .split(separator: "\n").map(String.init)
    }

    @Test func theRevertBranchArrivesOverSSHAndItsPRRestoresTheBase() throws {
        guard let release = try mergedRelease("push") else { return }
        defer { try? FileManager.default.removeItem(at: release.forge.root) }
        let sessionsBefore = release.sshd.log.components(separatedBy: "Accepted publickey for root").count

        let result = try revertOverSSH(release, knownHosts: release.sshd.knownHosts)
        #expect(result.status == 0, "\(result.stderr)")
        let outcome = try json(result)
        let branch = "capstan/revert-pr-\(release.number)"
        #expect(outcome["action"] as? String == "reverted")
        #expect(outcome["head"] as? String == branch)
        #expect(outcome["base"] as? String == "main")
        #expect(outcome["state"] as? String == "open")

        // The branch came through sshd, not the forge's HTTP git (whose pushes git records as capstan@http.…).
        #expect(try pushers(release.bare, branch) == [SSHServer.committer])
        let httpPushers = try pushers(release.bare, "capstan/checkout")
        #expect(!httpPushers.isEmpty && httpPushers.allSatisfy { $0.contains("@http.") }, "\(httpPushers)")
        #expect(release.sshd.log.components(separatedBy: "Accepted publickey for root").count > sessionsBefore)

        // The forge holds the revert PR, open from that branch into main, and main is untouched.
        let revertPR = try #require(release.forge.pullRequests.first { $0["number"] as? Int == outcome["number"] as? Int })
        #expect(revertPR["state"] as? String == "open")
        #expect(revertPR["head"] as? String == branch && revertPR["base"] as? String == "main", "\(revertPR)")
        #expect(try rev(release.bare, "main") == release.mainAfterMerge)
        // Its tree is main's before the merge, and its one commit sits on the merge.
        #expect(try rev(release.bare, "\(branch)^{tree}") == release.treeBeforeMerge)
        #expect(try rev(release.bare, "\(branch)^") == release.mainAfterMerge)
        let commit = try GitFixtures.git(["log", "-1", "--format=%an <%ae>%n%cn <%ce>%n%B", branch], in: release.bare)
        #expect(commit.hasPrefix("Release Bot <bot@acme.example>\nRelease Bot <bot@acme.example>\nRevert \"Update checkout to 1.5.0\""), "\(commit)")
        #expect(commit.contains("This reverts commit \(release.mainAfterMerge)."), "\(commit)")
        try GitFixtures.git(["fsck", "--strict"], in: release.bare)
        let check = try release.forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func aKnownHostsFileWithAnotherKeyFailsClosedBeforeAnythingIsPushed() throws {
        guard let release = try mergedRelease("stranger") else { return }
        defer { try? FileManager.default.removeItem(at: release.forge.root) }
        let stranger = release.forge.root.appendingPathComponent("stranger_known_hosts")
        try "[127.0.0.1]:\(release.sshd.port) ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHcXzQ7s3s3Yy4ZL0pfV9Fh2sbcLkqXNoTqPOa5PhTD3\n"
            .write(to: stranger, atomically: true, encoding: .utf8)
        let refsBefore = try GitFixtures.git(["for-each-ref"], in: release.bare)
        let requestsBefore = release.forge.apiLog.count

        let result = try revertOverSSH(release, knownHosts: stranger)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("host key"), "\(result.stderr)")
        // No session was opened, no ref moved, and the forge was only asked about the PR.
        #expect(!release.sshd.log.contains("Starting session"), "\(release.sshd.log)")
        #expect(try GitFixtures.git(["for-each-ref"], in: release.bare) == refsBefore)
        #expect(release.forge.pullRequests.count == 1)
        let asked = release.forge.apiLog.dropFirst(requestsBefore)
        #expect(asked.allSatisfy { $0["method"] as? String == "GET" }, "\(Array(asked))")
    }
}
