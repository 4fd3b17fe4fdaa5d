import CapstanTestSupport
import Foundation
import Testing

/// `capstan update` against real Git servers on loopback: git http-backend behind Basic
/// auth, sshd, and plain paths. The `git` CLI is the oracle for what landed.
@Suite struct UpdateTests {
    static let token = "tok-" + UUID().uuidString

    private func server(_ label: String, files: [String: String]) throws -> (GitHTTPServer, URL, URL) {
        let root = try TestSupport.temporaryDirectory(label)
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: files)
        return (try GitHTTPServer(root: root, token: Self.token), bare, root)
    }

    private func update(_ server: GitHTTPServer, _ arguments: [String], workdir: URL? = nil,
                        environment: [String: String]? = nil) throws -> TestSupport.Result {
        var args = ["update", "--repo", server.url("release.git"), "--token-env", "RELEASE_TOKEN"] + arguments
        if let workdir { args += ["--workdir", workdir.path] }
        return try TestSupport.capstan(args, environment: environment ?? ["RELEASE_TOKEN": Self.token])
    }

    static let values = """
    # checkout values
    image:
      repository: ghcr.io/acme/checkout
      tag: "1.4.2"   # bumped by CI
    replicas: 2

    """

    @Test func pushesOneCommitOntoTheBaseAndNeverStoresTheToken() throws {
        let (server, bare, root) = try server("update-direct", files: ["values.yaml": Self.values])
        defer { try? FileManager.default.removeItem(at: root) }
        let workdir = root.appendingPathComponent("cache")
        let outputs = root.appendingPathComponent("github-output")
        try Data().write(to: outputs)
        let result = try update(server, ["--set-image", "ghcr.io/acme/checkout:1.5.0", "--author", "Release Bot <bot@acme.example>",
                                         "--output", "json"], workdir: workdir,
                                environment: ["RELEASE_TOKEN": Self.token, "GITHUB_OUTPUT": outputs.path])
        #expect(result.status == 0, "\(result.stderr)")
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let commit = try #require(outcome["commit"] as? String)
        #expect(outcome["pushed"] as? Bool == true)
        #expect(result.stderr.contains("pushed \(commit.prefix(7)) to main"), "the CI log says what was pushed even with --output json")
        #expect((outcome["images"] as? [[String: Any]])?.first?["to"] as? String == "1.5.0")
        #expect((outcome["images"] as? [[String: Any]])?.first?["from"] as? [String] == ["1.4.2"])

        #expect(try GitFixtures.git(["rev-parse", "main"], in: bare).trimmingCharacters(in: .whitespacesAndNewlines) == commit)
        #expect(try GitFixtures.show(bare, "main", "values.yaml") == Self.values.replacingOccurrences(of: "\"1.4.2\"", with: "\"1.5.0\""))
        let log = try GitFixtures.git(["log", "--format=%an <%ae>%n%B", "-1", "main"], in: bare)
        #expect(log.hasPrefix("Release Bot <bot@acme.example>\nUpdate checkout to 1.5.0"))
        #expect(log.contains("- values.yaml: image.tag: 1.4.2 → 1.5.0"))
        #expect(log.contains("Capstan-Edit: image ghcr.io/acme/checkout:1.5.0"))
        try GitFixtures.git(["fsck", "--strict"], in: bare)
        #expect(try GitFixtures.git(["rev-list", "--count", "main"], in: bare).hasPrefix("2"))
        #expect(try String(contentsOf: outputs, encoding: .utf8).contains("commit=\(commit)\n"))

        // The token appears nowhere Capstan wrote or printed.
        #expect(!result.stdout.contains(Self.token) && !result.stderr.contains(Self.token))
        for (path, bytes) in try TestSupport.snapshot(workdir) {
            #expect(!String(decoding: bytes, as: UTF8.self).contains(Self.token), "token found in \(path)")
        }
        #expect(try String(contentsOf: workdir.appendingPathComponent(".git/config"), encoding: .utf8)
            .contains("url = \(server.url("release.git"))"))
    }

    @Test func aWrongTokenIsAClearErrorWithoutTheToken() throws {
        let (server, bare, root) = try server("update-auth", files: ["values.yaml": Self.values])
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try GitFixtures.git(["rev-parse", "main"], in: bare)
        let wrong = "wrong-" + UUID().uuidString
        let result = try update(server, ["--set-image", "ghcr.io/acme/checkout:1.5.0"], environment: ["RELEASE_TOKEN": wrong])
        #expect(result.status == 1)
        #expect(result.stderr.contains("authentication failed"), "\(result.stderr)")
        #expect(!result.stderr.contains(wrong) && !result.stdout.contains(wrong))
        #expect(server.requestLog.contains { $0.hasSuffix(" 401") })
        #expect(try GitFixtures.git(["rev-parse", "main"], in: bare) == before)
    }

    /// A CI job's token goes only to its own server: a GitLab job pushing to a server that
    /// is not its GitLab sends no token, and the error says how to name one.
    @Test func aJobTokenIsNotSentToAnotherServerAndTheErrorSaysWhatToDo() throws {
        let (server, bare, root) = try server("update-job-token", files: ["values.yaml": Self.values])
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try GitFixtures.git(["rev-parse", "main"], in: bare)
        let result = try TestSupport.capstan(["update", "--repo", server.url("release.git"), "--set-image", "ghcr.io/acme/checkout:1.5.0"],
                                             environment: ["GITLAB_CI": "true", "CI_SERVER_URL": "https://gitlab.acme.example", "CI_JOB_TOKEN": Self.token])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no token was sent") && result.stderr.contains("--token-env"), "\(result.stderr)")
        #expect(server.requestLog.contains { $0.hasSuffix(" 401") } && !server.requestLog.contains { $0.hasSuffix(" 200") },
                "the server must have asked for credentials and been given none: \(server.requestLog)")
        #expect(try GitFixtures.git(["rev-parse", "main"], in: bare) == before)
    }

    @Test func aLocalPathThatIsNotThereSaysSo() throws {
        let result = try TestSupport.capstan(["update", "--repo", "/nonexistent/release-\(UUID().uuidString)", "--set-image", "a:1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no such directory") && result.stderr.contains("https://"), "\(result.stderr)")
    }

    /// A warm cache already holds the base tip, so the references the push connection
    /// advertises are all a run needs before it pushes: one advertisement to push, the
    /// push, one to read the branch back. No fetch, and no second advertisement.
    @Test func aWarmRunAsksForTheReferencesOnceToPushAndOnceToReadBack() throws {
        let (server, bare, root) = try server("update-warm", files: ["values.yaml": Self.values])
        defer { try? FileManager.default.removeItem(at: root) }
        let workdir = root.appendingPathComponent("cache")
        #expect(try update(server, ["--set-image", "ghcr.io/acme/checkout:1.5.0"], workdir: workdir).status == 0)
        try FileManager.default.removeItem(at: server.faults.appendingPathComponent("requests.log"))
        let warm = try update(server, ["--set-image", "ghcr.io/acme/checkout:1.6.0"], workdir: workdir)
        #expect(warm.status == 0, "\(warm.stderr)")
        let answered = server.requestLog.filter { $0.hasSuffix(" 200") }
        #expect(answered == ["GET /release.git/info/refs 200", "POST /release.git/git-receive-pack 200", "GET /release.git/info/refs 200"],
                "\(server.requestLog)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.6.0\""))
    }

    /// The tips a warm run reads from the push connection can be stale by the time it
    /// pushes over it: the server moves the branch only from the tip it advertised, so the
    /// push is a rejection, and the next attempt fetches and re-applies on the new tip.
    @Test func aStaleAdvertisementOnAWarmRunIsARejectionAndTheEditIsReApplied() throws {
        let (server, bare, root) = try server("update-stale", files: ["values.yaml": Self.values])
        defer { try? FileManager.default.removeItem(at: root) }
        let workdir = root.appendingPathComponent("cache")
        #expect(try update(server, ["--set-image", "ghcr.io/acme/checkout:1.5.0"], workdir: workdir).status == 0)
        // The repository as the cache knows it, advertised once after the branch has moved on.
        let staleRoot = root.appendingPathComponent("stale")
        let stale = staleRoot.appendingPathComponent("release.git")
        try GitFixtures.git(["clone", "-q", "--bare", bare.path, stale.path])
        try GitFixtures.git(["config", "http.receivepack", "true"], in: stale)
        let other = root.appendingPathComponent("other")
        try GitFixtures.git(["clone", "-q", bare.path, other.path])
        try "extra: 1\n".write(to: other.appendingPathComponent("extra.yaml"), atomically: true, encoding: .utf8)
        try GitFixtures.git(["add", "extra.yaml"], in: other)
        try GitFixtures.git(["commit", "-q", "-m", "someone else"], in: other)
        try GitFixtures.git(["push", "-q", "origin", "HEAD:main"], in: other)
        try server.inject("advertise-next", contents: staleRoot.path)
        let result = try update(server, ["--set-image", "ghcr.io/acme/checkout:1.6.0"], workdir: workdir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("rejected"), "\(result.stderr)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.6.0\""))
        #expect(try GitFixtures.show(bare, "main", "extra.yaml") == "extra: 1\n")
        #expect(try GitFixtures.git(["rev-list", "--count", "main"], in: bare).hasPrefix("4"))
    }

    @Test func nothingToChangeMeansNoCommitAndNoPush() throws {
        let (server, bare, root) = try server("update-noop", files: ["values.yaml": Self.values])
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try GitFixtures.git(["rev-parse", "main"], in: bare)
        let result = try update(server, ["--set-image", "ghcr.io/acme/checkout:1.4.2"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("nothing to change"))
        #expect(!server.requestLog.contains { $0.contains("git-receive-pack") })
        #expect(try GitFixtures.git(["rev-parse", "main"], in: bare) == before)
    }

    @Test func botBranchIsMadeFromTheBaseAndReRunsDoNotChurn() throws {
        let (server, bare, root) = try server("update-branch", files: ["values.yaml": Self.values])
        defer { try? FileManager.default.removeItem(at: root) }
        let base = try GitFixtures.git(["rev-parse", "main"], in: bare)
        let workdir = root.appendingPathComponent("cache")
        let arguments = ["--branch", "capstan/checkout-1.5.0", "--set-image", "ghcr.io/acme/checkout:1.5.0"]
        #expect(try update(server, arguments, workdir: workdir).status == 0)
        let first = try GitFixtures.git(["rev-parse", "capstan/checkout-1.5.0"], in: bare)
        #expect(try GitFixtures.git(["rev-parse", "capstan/checkout-1.5.0^"], in: bare) == base)
        #expect(try GitFixtures.git(["rev-parse", "main"], in: bare) == base)
        let again = try update(server, arguments, workdir: workdir)
        #expect(again.status == 0)
        #expect(again.stderr.contains("already"))
        #expect(try GitFixtures.git(["rev-parse", "capstan/checkout-1.5.0"], in: bare) == first)
        // A new tag on the same branch force-updates it, still on top of the base.
        #expect(try update(server, ["--branch", "capstan/checkout-1.5.0", "--set-image", "ghcr.io/acme/checkout:1.5.1"], workdir: workdir).status == 0)
        #expect(try GitFixtures.git(["rev-parse", "capstan/checkout-1.5.0^"], in: bare) == base)
        #expect(try GitFixtures.show(bare, "capstan/checkout-1.5.0", "values.yaml").contains("\"1.5.1\""))
    }

    @Test func sixteenWritersAtOnceAllLandOnALinearHistory() throws {
        let images = (0..<16).map { String(format: "svc-%02d", $0) }
        var values = "# one values file, sixteen images\n"
        for name in images { values += "\(name):\n  image:\n    repository: ghcr.io/acme/\(name)\n    tag: \"1.0.0\"\n" }
        let (server, bare, root) = try server("update-race", files: ["values.yaml": values])
        defer { try? FileManager.default.removeItem(at: root) }
        let started = Date()
        let writers = try images.enumerated().map { index, name -> (ChildProcess, URL) in
            let log = root.appendingPathComponent("writer-\(index).log")
            let descriptor = open(log.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            defer { close(descriptor) }
            let child = try ChildProcess.spawn(TestSupport.capstan.path, [
                "update", "--repo", server.url("release.git"), "--token-env", "RELEASE_TOKEN",
                "--set-image", "ghcr.io/acme/\(name):2.0.0", "--max-attempts", "20",
                "--workdir", root.appendingPathComponent("cache-\(index)").path,
            ], environment: ["RELEASE_TOKEN": Self.token, "PATH": "/usr/bin:/bin"], stderr: descriptor)
            return (child, log)
        }
        var attempts: [Int] = []
        for (child, log) in writers {
            let status = child.wait()
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(status == 0, "\(text)")
            attempts.append(text.components(separatedBy: "rejected").count)
        }
        let elapsed = Date().timeIntervalSince(started)
        print("16 concurrent writers landed in \(String(format: "%.1f", elapsed)) s; attempts per writer: \(attempts.sorted())")
        let final = try GitFixtures.show(bare, "main", "values.yaml")
        #expect(!final.contains("1.0.0"))
        #expect(final.components(separatedBy: "\"2.0.0\"").count == 17)
        #expect(try GitFixtures.git(["rev-list", "--count", "main"], in: bare).trimmingCharacters(in: .whitespacesAndNewlines) == "17")
        #expect(try GitFixtures.git(["rev-list", "--merges", "main"], in: bare).isEmpty)
        try GitFixtures.git(["fsck", "--strict"], in: bare)
    }

    @Test(arguments: ["drop-push-before", "drop-push-after"])
    func aConnectionDroppedMidPushLeavesARepoTheNextRunConvergesOn(fault: String) throws {
        let (server, bare, root) = try server("update-\(fault)", files: ["values.yaml": Self.values])
        defer { try? FileManager.default.removeItem(at: root) }
        let workdir = root.appendingPathComponent("cache")
        try server.inject(fault)
        let failed = try update(server, ["--set-image", "ghcr.io/acme/checkout:1.5.0"], workdir: workdir)
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(failed.stderr.contains("push to"))
        let retried = try update(server, ["--set-image", "ghcr.io/acme/checkout:1.5.0"], workdir: workdir)
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\""))
        #expect(try GitFixtures.git(["rev-list", "--count", "main"], in: bare).hasPrefix("2"))
        try GitFixtures.git(["fsck", "--strict"], in: bare)
    }

    /// The reason a server gives for refusing a push (a hook's or a policy's words) is the
    /// server's: it reaches the log and the error as one printable line, not as ESC, CR and a
    /// newline forging a line of Capstan's own.
    @Test func aServersReasonForRefusingAPushIsOnePrintableLine() throws {
        let (server, bare, root) = try server("update-rejected", files: ["values.yaml": Self.values])
        defer { try? FileManager.default.removeItem(at: root) }
        try server.inject("reject-push", contents: "policy\u{1B}[2K\rpushed to main\u{07}\u{202E}" + String(repeating: " no", count: 2000))
        let result = try update(server, ["--set-image", "ghcr.io/acme/checkout:1.5.0"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("push to main rejected (policy [2K …); re-applying"), "\(result.stderr.prefix(2000))")
        #expect(!result.stderr.unicodeScalars.contains { ($0.properties.generalCategory == .control && $0 != "\n") || $0.value == 0x202E },
                "\(result.stderr.prefix(2000).debugDescription)")
        #expect(!result.stderr.split(separator: "\n").contains { $0.hasPrefix("pushed to main") }, "\(result.stderr.prefix(2000))")
        #expect(result.stderr.split(separator: "\n").allSatisfy { $0.count < 1500 }, "a reason printed whole")
        #expect(try GitFixtures.show(bare, "main", "values.yaml") == Self.values)
    }

    @Test func aValueFileGoneFromTheBaseIsARealConflict() throws {
        let (server, _, root) = try server("update-conflict", files: ["values.yaml": Self.values])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try update(server, ["--set-value", "envs/prod/config.yaml:image.tag=1.5.0"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("envs/prod/config.yaml: no such file"), "\(result.stderr)")
    }

    @Test func localPathsAndFileURLsNeedNoCredentials() throws {
        let root = try TestSupport.temporaryDirectory("update-file")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let viaPath = try TestSupport.capstan(["update", "--repo", bare.path, "--set-image", "ghcr.io/acme/checkout:1.5.0"])
        #expect(viaPath.status == 0, "\(viaPath.stderr)")
        let viaURL = try TestSupport.capstan(["update", "--repo", "file://" + bare.path, "--set-value", "values.yaml:replicas=3"])
        #expect(viaURL.status == 0, "\(viaURL.stderr)")
        let final = try GitFixtures.show(bare, "main", "values.yaml")
        #expect(final.contains("\"1.5.0\"") && final.contains("replicas: 3\n"))
    }

    @Test func sshRemoteWithAKnownHostKey() throws {
        let root = try TestSupport.temporaryDirectory("update-ssh")
        defer { try? FileManager.default.removeItem(at: root) }
        guard let sshd = try SSHServer.start(in: root) else {
            print("note: sshd cannot run here (not installed or not root); SSH write-back not exercised")
            return
        }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let url = "ssh://root@127.0.0.1:\(sshd.port)\(bare.path)"
        let pushed = try TestSupport.capstan(["update", "--repo", url, "--ssh-key", sshd.clientKey.path,
                                              "--known-hosts", sshd.knownHosts.path, "--set-image", "ghcr.io/acme/checkout:1.5.0"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\""))

        // A known_hosts file that lists another key for this host fails closed.
        let stranger = root.appendingPathComponent("stranger_known_hosts")
        try "[127.0.0.1]:\(sshd.port) ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHcXzQ7s3s3Yy4ZL0pfV9Fh2sbcLkqXNoTqPOa5PhTD3\n"
            .write(to: stranger, atomically: true, encoding: .utf8)
        let refused = try TestSupport.capstan(["update", "--repo", url, "--ssh-key", sshd.clientKey.path,
                                               "--known-hosts", stranger.path, "--set-image", "ghcr.io/acme/checkout:1.6.0"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("host key"), "\(refused.stderr)")
        #expect(!(try GitFixtures.show(bare, "main", "values.yaml")).contains("1.6.0"))
    }

    @Test func signedCommitsPassGitVerifyCommitAndCapstanVerify() throws {
        let root = try TestSupport.temporaryDirectory("update-signed")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let key = root.appendingPathComponent("bot_ed25519")
        let made = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/ssh-keygen"), ["-q", "-t", "ed25519", "-N", "", "-f", key.path, "-C", "bot"])
        #expect(made.status == 0)
        let publicKey = try String(contentsOf: key.appendingPathExtension("pub"), encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        let allowed = root.appendingPathComponent("allowed_signers")
        try "bot@acme.example \(publicKey)\n".write(to: allowed, atomically: true, encoding: .utf8)

        let pushed = try TestSupport.capstan(["update", "--repo", bare.path, "--sign-key", key.path,
                                              "--author", "Release Bot <bot@acme.example>", "--set-image", "ghcr.io/acme/checkout:1.5.0"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let verified = try GitFixtures.git(["-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(allowed.path)",
                                            "verify-commit", "main"], in: bare)
        _ = verified
        let ours = try TestSupport.capstan(["verify", "main", "--repository", bare.path, "--allowed-signers", allowed.path])
        #expect(ours.status == 0, "\(ours.stdout)\(ours.stderr)")
    }

    @Test func httpsWithAPrivateCertificateAuthorityNeedsTheBundleAndFailsClosedWithout() throws {
        let root = try TestSupport.temporaryDirectory("update-https")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let tls = try GitHTTPServer.selfSignedCertificate(in: root)
        let server = try GitHTTPServer(root: root, token: Self.token, tls: tls)
        #expect(server.url("release.git").hasPrefix("https://"))
        let untrusted = try update(server, ["--set-image", "ghcr.io/acme/checkout:1.5.0"])
        #expect(untrusted.status == 1)
        #expect(untrusted.stderr.lowercased().contains("certificate"), "\(untrusted.stderr)")
        let trusted = try update(server, ["--set-image", "ghcr.io/acme/checkout:1.5.0", "--ca-bundle", tls.certificate.path])
        #expect(trusted.status == 0, "\(trusted.stderr)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\""))
    }

    @Test func theReleaseRepositorysConfigSetsAuthorMessageAndWhereImagesLive() throws {
        let root = try TestSupport.temporaryDirectory("update-config")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: [
            ".capstan.yaml": "commit:\n  author: \"Team Bot <team-bot@acme.example>\"\n  message: \"chore(release): {summary}\"\nimages:\n  ghcr.io/acme/checkout: [envs/]\n",
            "envs/prod/values.yaml": Self.values,
            "archive/values.yaml": Self.values,
        ])
        let result = try TestSupport.capstan(["update", "--repo", bare.path, "--set-image", "ghcr.io/acme/checkout:1.5.0"])
        #expect(result.status == 0, "\(result.stderr)")
        let log = try GitFixtures.git(["log", "--format=%an <%ae>%n%s", "-1", "main"], in: bare)
        #expect(log == "Team Bot <team-bot@acme.example>\nchore(release): Update checkout to 1.5.0\n")
        #expect(try GitFixtures.show(bare, "main", "envs/prod/values.yaml").contains("\"1.5.0\""))
        #expect(try GitFixtures.show(bare, "main", "archive/values.yaml") == Self.values)
        // A flag still wins over the file.
        let flagged = try TestSupport.capstan(["update", "--repo", bare.path, "--set-image", "ghcr.io/acme/checkout:1.5.1",
                                               "--author", "Someone <someone@acme.example>"])
        #expect(flagged.status == 0, "\(flagged.stderr)")
        #expect(try GitFixtures.git(["log", "--format=%ae", "-1", "main"], in: bare) == "someone@acme.example\n")
    }
}
