import CapstanTestSupport
import Foundation
import Testing

/// `update` holds a write token: a push is reported only when it landed, on every
/// transport; writes never follow links; credentials never follow a redirect to another
/// origin; stalled servers meet a deadline; proxies come from the environment; a cache a
/// killed run left half-made is rebuilt (issue 13). The `git` CLI is the oracle.
@Suite(.serialized) struct WriteBackTests {
    static let token = "tok-" + UUID().uuidString

    static let values = "image:\n  repository: ghcr.io/acme/checkout\n  tag: \"1.4.2\"\n"

    /// Runs `capstan` as a child, killed if it is still running after `limit` seconds.
    private func capstan(_ arguments: [String], environment: [String: String] = [:], limit: TimeInterval = 120,
                         in directory: URL) throws -> (status: Int32, stdout: String, stderr: String, seconds: TimeInterval) {
        let id = UUID().uuidString
        let out = directory.appendingPathComponent("out-\(id)")
        let err = directory.appendingPathComponent("err-\(id)")
        let outDescriptor = open(out.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let errDescriptor = open(err.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let started = Date()
        let child = try ChildProcess.spawn(TestSupport.capstan.path, arguments, directory: directory.path,
                                           environment: ["PATH": "/usr/bin:/bin", "HOME": directory.path].merging(environment) { $1 },
                                           stdout: outDescriptor, stderr: errDescriptor)
        close(outDescriptor)
        close(errDescriptor)
        // Killed at the limit only while still running (never a later process given its pid).
        let running = RunningFlag(pid: child.pid)
        DispatchQueue.global().asyncAfter(deadline: .now() + limit) { running.killIfRunning() }
        let status = child.wait()
        running.finish()
        return (status, (try? String(contentsOf: out, encoding: .utf8)) ?? "", (try? String(contentsOf: err, encoding: .utf8)) ?? "",
                Date().timeIntervalSince(started))
    }

    private func isOnBranch(_ commit: String, _ bare: URL) throws -> Bool {
        let result = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/git"), ["merge-base", "--is-ancestor", commit, "main"], in: bare)
        return result.status == 0
    }

    // MARK: A push is reported only when it landed (finding 1)

    @Test(arguments: ["path", "file", "http", "ssh"])
    func everyCommitAWriterReportsAsPushedIsOnTheBranch(transport: String) throws {
        let root = try TestSupport.temporaryDirectory("writeback-race-\(transport)")
        defer { try? FileManager.default.removeItem(at: root) }
        let images = (0..<16).map { String(format: "svc-%02d", $0) }
        var values = "# one values file, sixteen images\n"
        for name in images { values += "\(name):\n  image:\n    repository: ghcr.io/acme/\(name)\n    tag: \"1.0.0\"\n" }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": values])
        var server: GitHTTPServer?
        var sshd: SSHServer?
        let remote: [String]
        switch transport {
        case "path": remote = ["--repo", bare.path]
        case "file": remote = ["--repo", "file://" + bare.path]
        case "http":
            server = try GitHTTPServer(root: root, token: Self.token)
            remote = ["--repo", server?.url("release.git") ?? "", "--token-env", "RELEASE_TOKEN"]
        default:
            guard let started = try SSHServer.start(in: root) else {
                print("note: sshd cannot run here (not installed or not root); the SSH race is not exercised")
                return
            }
            sshd = started
            remote = ["--repo", started.url(bare), "--ssh-key", started.clientKey.path, "--known-hosts", started.knownHosts.path]
        }
        // Round 1 starts from empty caches (clone, then push); from round 2 on each writer's
        // cache is warm and pushes over the connection that advertised the tips. Over the
        // network those two paths are what a round can tell apart: with 16 writers a round
        // has dozens of rejected pushes (each writer retries 1 to 9 times), so a rejection
        // reported as landed fails round 1 or 2, and rounds 3-5 only repeated round 2 at
        // 15-30 s each. Local writes cost a second a round and keep all five.
        let rounds = ["path", "file"].contains(transport) ? 5 : 2
        for round in 1...rounds {
            let started = Date()
            let writers = try images.enumerated().map { index, name -> (ChildProcess, URL) in
                let output = root.appendingPathComponent("round-\(round)-writer-\(index).json")
                let descriptor = open(output.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                let log = open(output.path + ".log", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                defer { close(descriptor); close(log) }
                let child = try ChildProcess.spawn(TestSupport.capstan.path, ["update"] + remote + [
                    "--set-image", "ghcr.io/acme/\(name):2.\(round).0", "--max-attempts", "40", "--output", "json",
                    "--workdir", root.appendingPathComponent("cache-\(index)").path,
                ], environment: ["RELEASE_TOKEN": Self.token, "PATH": "/usr/bin:/bin", "HOME": root.path], stdout: descriptor, stderr: log)
                return (child, output)
            }
            var reported: [String] = []
            for (child, output) in writers {
                let status = child.wait()
                let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                #expect(status == 0, "round \(round): \((try? String(contentsOfFile: output.path + ".log", encoding: .utf8)) ?? "")")
                if let outcome = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                   outcome["pushed"] as? Bool == true, let commit = outcome["commit"] as? String {
                    reported.append(commit)
                }
            }
            let seconds = Date().timeIntervalSince(started)
            print("\(transport) round \(round): \(reported.count) pushes reported in \(String(format: "%.1f", seconds)) s")
            #expect(reported.count == 16)
            for commit in reported {
                #expect(try isOnBranch(commit, bare), "\(transport) round \(round): \(commit) was reported pushed but is not on main")
            }
            let final = try GitFixtures.show(bare, "main", "values.yaml")
            #expect(final.components(separatedBy: "\"2.\(round).0\"").count == 17, "\(transport) round \(round): \(final)")
        }
        try GitFixtures.git(["fsck", "--strict"], in: bare)
        withExtendedLifetime((server, sshd)) {}
    }

    /// As `git push` refuses to, a local repository's branch is not moved while a linked
    /// work tree (`git worktree add`) has it checked out, bare repository or not.
    @Test(arguments: [false, true])
    func aBranchCheckedOutInALinkedWorkTreeIsNotMoved(bare isBare: Bool) throws {
        let root = try TestSupport.temporaryDirectory("writeback-worktree")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let repository = root.appendingPathComponent("repository")
        _ = try GitFixtures.git(["clone", "-q"] + (isBare ? ["--bare"] : []) + [bare.path, repository.path])
        if !isBare { _ = try GitFixtures.git(["checkout", "-q", "-b", "other"], in: repository) }
        let linked = root.appendingPathComponent("linked")
        _ = try GitFixtures.git(["worktree", "add", "-q", linked.path, "main"], in: repository)
        let before = try GitFixtures.git(["rev-parse", "main"], in: repository)
        let result = try capstan(["update", "--repo", repository.path, "--set-image", "ghcr.io/acme/checkout:1.5.0"], in: root)
        #expect(result.status != 0, "\(result.stderr)")
        #expect(result.stderr.contains("checked out"), "\(result.stderr)")
        #expect(try GitFixtures.git(["rev-parse", "main"], in: repository) == before)
        #expect(try GitFixtures.git(["status", "--porcelain"], in: linked).isEmpty)
    }

    /// Over the network a bot branch is force-pushed, so others' commits on it need not be in
    /// the cache: when the branch read back names a commit the fetch that follows no longer
    /// finds (it moved again), the verdict is taken from what was fetched, not an error.
    @Test func aBotBranchReadBackThatMovedAgainIsJudgedFromTheFetch() throws {
        let root = try TestSupport.temporaryDirectory("writeback-readback")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let otherRoot = root.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: otherRoot, withIntermediateDirectories: true)
        let other = try GitFixtures.bareRepository(in: otherRoot, name: "release", files: ["values.yaml": "someone: else\n"])
        _ = try GitFixtures.git(["branch", "bot", "main"], in: other)
        let server = try GitHTTPServer(root: root, token: Self.token)
        try server.inject("advertise-after-push", contents: otherRoot.path)
        let result = try capstan(["update", "--repo", server.url("release.git"), "--token-env", "RELEASE_TOKEN", "--branch", "bot",
                                  "--set-image", "ghcr.io/acme/checkout:1.5.0"], environment: ["RELEASE_TOKEN": Self.token], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        let pushed = try GitFixtures.git(["rev-parse", "bot"], in: bare).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(result.stderr.contains("pushed \(pushed.prefix(7)) to bot"), "\(result.stderr)")
    }

    // MARK: No write leaves the tree or follows a link (finding 2)

    /// A release repository whose commit holds links: a file linking to another file, and a
    /// directory linking to another directory.
    private func repositoryWithLinks(in root: URL) throws -> URL {
        let tree = root.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("common"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("envs"), withIntermediateDirectories: true)
        try Self.values.write(to: tree.appendingPathComponent("real.yaml"), atomically: true, encoding: .utf8)
        try Self.values.write(to: tree.appendingPathComponent("common/values.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: tree.appendingPathComponent("link.yaml").path, withDestinationPath: "real.yaml")
        try FileManager.default.createSymbolicLink(atPath: tree.appendingPathComponent("envs/prod").path, withDestinationPath: "../common")
        return try GitFixtures.bareRepository(in: root, name: "release", copying: tree)
    }

    @Test func aCommittedLinkAsTheEditedFileIsRefusedByNameAndNothingIsPushed() throws {
        let root = try TestSupport.temporaryDirectory("writeback-link")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try repositoryWithLinks(in: root)
        let before = try GitFixtures.git(["rev-parse", "main"], in: bare)
        let viaFile = try capstan(["update", "--repo", bare.path, "--set-value", "link.yaml:image.tag=6.6.6"], in: root)
        #expect(viaFile.status == 1)
        #expect(viaFile.stderr.contains("link.yaml: is a symlink") && viaFile.stderr.contains("nothing was written"), "\(viaFile.stderr)")
        let viaDirectory = try capstan(["update", "--repo", bare.path, "--set-value", "envs/prod/values.yaml:image.tag=6.6.6"], in: root)
        #expect(viaDirectory.status == 1)
        #expect(viaDirectory.stderr.contains("envs/prod/values.yaml: lies under envs/prod, a symlink"), "\(viaDirectory.stderr)")
        #expect(try GitFixtures.git(["rev-parse", "main"], in: bare) == before)
        #expect(try GitFixtures.show(bare, "main", "real.yaml") == Self.values)
    }

    /// The cache's lock file is the one name `update` creates in --workdir: a link planted
    /// there is not followed.
    @Test func aLinkPlantedInTheWorkDirectoryIsNotFollowed() throws {
        let root = try TestSupport.temporaryDirectory("writeback-planted")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let server = try GitHTTPServer(root: root, token: Self.token)
        let workdir = root.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        let victim = root.appendingPathComponent("victim")
        try FileManager.default.createSymbolicLink(atPath: workdir.appendingPathComponent(".capstan.lock").path, withDestinationPath: victim.path)
        let result = try capstan(["update", "--repo", server.url("release.git"), "--token-env", "RELEASE_TOKEN", "--workdir", workdir.path,
                                  "--set-image", "ghcr.io/acme/checkout:1.5.0"], environment: ["RELEASE_TOKEN": Self.token], in: root)
        #expect(result.status == 1)
        #expect(result.stderr.contains(".capstan.lock"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: victim.path))
        #expect(try GitFixtures.show(bare, "main", "values.yaml") == Self.values)
    }

    /// CAPSTAN_DOTENV is often relative (`capstan.env`): a link of that name in the checkout
    /// must not carry the outputs elsewhere.
    @Test func anOutputsFileThatIsALinkIsNotFollowed() throws {
        let root = try TestSupport.temporaryDirectory("writeback-dotenv")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let victim = root.appendingPathComponent("victim")
        try "keep\n".write(to: victim, atomically: true, encoding: .utf8)
        let link = root.appendingPathComponent("capstan.env")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: victim.path)
        let result = try capstan(["update", "--repo", bare.path, "--set-image", "ghcr.io/acme/checkout:1.5.0"],
                                 environment: ["CAPSTAN_DOTENV": link.path], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("outputs not written"), "\(result.stderr)")
        #expect(try String(contentsOf: victim, encoding: .utf8) == "keep\n")
    }

    /// A relative CAPSTAN_DOTENV under a directory the checkout made a link (`out` →
    /// elsewhere) is not written through the link.
    @Test func anOutputsFileUnderALinkedDirectoryIsNotWritten() throws {
        let root = try TestSupport.temporaryDirectory("writeback-dotenv-dir")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let elsewhere = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("out").path, withDestinationPath: elsewhere.path)
        let result = try capstan(["update", "--repo", bare.path, "--set-image", "ghcr.io/acme/checkout:1.5.0"],
                                 environment: ["CAPSTAN_DOTENV": "out/capstan.env"], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("outputs not written"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("capstan.env").path))
    }

    /// A FIFO at the outputs path (nobody reading) must not hang the run after its push.
    @Test func anOutputsFileThatIsAFIFODoesNotHangTheRun() throws {
        let root = try TestSupport.temporaryDirectory("writeback-dotenv-fifo")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        #expect(mkfifo(root.appendingPathComponent("capstan.env").path, 0o644) == 0)
        let result = try capstan(["update", "--repo", bare.path, "--set-image", "ghcr.io/acme/checkout:1.5.0"],
                                 environment: ["CAPSTAN_DOTENV": "capstan.env"], limit: 20, in: root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("outputs not written"), "\(result.stderr)")
        #expect(result.seconds < 15, "the run took \(result.seconds) s")
    }

    // MARK: Credentials are bound to the origin (finding 3)

    /// What a redirected update left: its result, the other server's request log, and
    /// whether `--repo`'s main is as it was before the redirected run.
    private struct RedirectedRun {
        let result: (status: Int32, stdout: String, stderr: String, seconds: TimeInterval)
        let elsewhereLog: [String]
        let repoUnchanged: Bool
    }

    /// `--repo` answers every request with a 302 to `host`:PORT of another server (which
    /// holds the same repository and wants the same token). `warm`: the run has a cache that
    /// fetched before, so its first request is the push connection's, not a fetch.
    private func redirectedUpdate(warm: Bool, to host: String, label: String, fault: String = "redirect") throws -> RedirectedRun {
        let root = try TestSupport.temporaryDirectory(label)
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let elsewhereRoot = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhereRoot, withIntermediateDirectories: true)
        _ = try GitFixtures.bareRepository(in: elsewhereRoot, name: "release", files: ["values.yaml": Self.values])
        let elsewhere = try GitHTTPServer(root: elsewhereRoot, token: Self.token)
        let server = try GitHTTPServer(root: root, token: Self.token)
        let update = ["update", "--repo", server.url("release.git"), "--token-env", "RELEASE_TOKEN"]
            + (warm ? ["--workdir", root.appendingPathComponent("cache").path] : [])
        var expected = Self.values
        if warm {
            let first = try capstan(update + ["--set-image", "ghcr.io/acme/checkout:1.4.3"], environment: ["RELEASE_TOKEN": Self.token], in: root)
            #expect(first.status == 0, "\(first.stderr)")
            expected = try GitFixtures.show(bare, "main", "values.yaml")
        }
        try server.inject(fault, contents: "http://\(host):\(elsewhere.port)")
        let result = try capstan(update + ["--set-image", "ghcr.io/acme/checkout:1.5.0"], environment: ["RELEASE_TOKEN": Self.token], in: root)
        return RedirectedRun(result: result, elsewhereLog: elsewhere.requestLog,
                             repoUnchanged: try GitFixtures.show(bare, "main", "values.yaml") == expected)
    }

    /// Another port of the same host: libgit2 follows it, the credential callback refuses it.
    @Test(arguments: [false, true])
    func aRedirectToAnotherPortGetsNoCredentialsAndIsRefused(warm: Bool) throws {
        let run = try redirectedUpdate(warm: warm, to: "127.0.0.1", label: "writeback-redirect")
        #expect(run.result.status == 1)
        #expect(run.result.stderr.contains("another origin") && run.result.stderr.contains("no credentials were sent"), "\(run.result.stderr)")
        if warm { #expect(run.result.stderr.contains("to push"), "refused where the tips are read: \(run.result.stderr)") }
        #expect(!run.result.stderr.contains(Self.token))
        #expect(!run.elsewhereLog.contains { $0.hasSuffix(" 200") }, "the other port accepted credentials: \(run.elsewhereLog)")
        #expect(run.repoUnchanged)
    }

    /// Another port of the same host, after the server asked for the credentials and got them:
    /// libgit2 holds the credential it was given for its next request; it must not carry it
    /// there (its HTTP client drops the authentication of another port, and the credential
    /// callback refuses to give it again).
    @Test(arguments: [false, true])
    func aRedirectToAnotherPortAfterAuthenticatingGetsNoCredentials(warm: Bool) throws {
        let run = try redirectedUpdate(warm: warm, to: "127.0.0.1", label: "writeback-redirect-authed", fault: "redirect-authorised")
        #expect(run.result.status == 1, "\(run.result.stdout)\(run.result.stderr)")
        #expect(!run.result.stderr.contains(Self.token))
        #expect(run.result.stderr.contains("another origin") && run.result.stderr.contains("no credentials were sent"), "\(run.result.stderr)")
        #expect(!run.elsewhereLog.contains { $0.hasSuffix(" 200") }, "the other port accepted credentials: \(run.elsewhereLog)")
        #expect(run.repoUnchanged)
    }

    /// Another host ("localhost" is another host name than --repo's 127.0.0.1): libgit2
    /// followed the first redirect anywhere, so a server there that took a push without
    /// credentials got it, answered the read-back too, and Capstan said "pushed" with --repo
    /// unchanged. Now nothing at all is sent there.
    @Test(arguments: [false, true])
    func aRedirectToAnotherHostIsNotFollowedAtAll(warm: Bool) throws {
        let run = try redirectedUpdate(warm: warm, to: "localhost", label: "writeback-redirect-host")
        #expect(run.result.status == 1, "\(run.result.stdout)\(run.result.stderr)")
        #expect(run.result.stderr.contains("redirected elsewhere") && run.result.stderr.contains("no credentials were sent"), "\(run.result.stderr)")
        #expect(!run.result.stderr.contains(Self.token))
        #expect(run.elsewhereLog.isEmpty, "a request went to the other host: \(run.elsewhereLog)")
        #expect(run.repoUnchanged)
    }

    /// A server (or load balancer) that closes its keep-alive socket after the push
    /// connection's advertisement: the push fails with words, not death by SIGPIPE (exit 141),
    /// and the next run lands the edit.
    @Test func aKeepAliveSocketClosedBeforeThePushIsAnErrorNotASignal() throws {
        let root = try TestSupport.temporaryDirectory("writeback-closed-socket")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let server = try GitHTTPServer(root: root, token: Self.token)
        let update = ["update", "--repo", server.url("release.git"), "--token-env", "RELEASE_TOKEN",
                      "--workdir", root.appendingPathComponent("cache").path]
        let first = try capstan(update + ["--set-image", "ghcr.io/acme/checkout:1.4.3"], environment: ["RELEASE_TOKEN": Self.token], in: root)
        #expect(first.status == 0, "\(first.stderr)")
        try server.inject("close-after-advertisement", contents: "")
        let closed = try capstan(update + ["--set-image", "ghcr.io/acme/checkout:1.5.0"], environment: ["RELEASE_TOKEN": Self.token], in: root)
        #expect(closed.status == 0 || closed.status == 1, "exit \(closed.status) (141 is SIGPIPE): \(closed.stderr)")
        #expect(closed.status == 0 || !closed.stderr.isEmpty, "a failure says why")
        let again = try capstan(update + ["--set-image", "ghcr.io/acme/checkout:1.5.0"], environment: ["RELEASE_TOKEN": Self.token], in: root)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("1.5.0"))
    }

    @Test func anHTTPSRemoteRedirectingToHTTPIsRefusedWithoutCredentials() throws {
        let root = try TestSupport.temporaryDirectory("writeback-downgrade")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let plain = try GitHTTPServer(root: root, token: Self.token)
        let tls = try GitHTTPServer.selfSignedCertificate(in: root)
        let secure = try GitHTTPServer(root: root, token: Self.token, tls: tls)
        try secure.inject("redirect", contents: "http://127.0.0.1:\(plain.port)")
        let result = try capstan(["update", "--repo", secure.url("release.git"), "--token-env", "RELEASE_TOKEN", "--ca-bundle", tls.certificate.path,
                                  "--set-image", "ghcr.io/acme/checkout:1.5.0"], environment: ["RELEASE_TOKEN": Self.token], in: root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("HTTPS to HTTP") || result.stderr.lowercased().contains("redirect"), "\(result.stderr)")
        #expect(!plain.requestLog.contains { $0.hasSuffix(" 200") }, "credentials went over plain HTTP: \(plain.requestLog)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml") == Self.values)
    }

    // MARK: Bounded in time (finding 4)

    /// `warm`: a cache that fetched before, so the stalled request is the push connection's.
    @Test(arguments: ["stall", "trickle"], [false, true])
    func aServerThatStallsOrTricklesMeetsTheDeadline(fault: String, warm: Bool) throws {
        let root = try TestSupport.temporaryDirectory("writeback-\(fault)")
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let server = try GitHTTPServer(root: root, token: Self.token)
        let update = ["update", "--repo", server.url("release.git"), "--token-env", "RELEASE_TOKEN", "--timeout", "3"]
            + (warm ? ["--workdir", root.appendingPathComponent("cache").path] : [])
        if warm {
            let first = try capstan(update + ["--set-image", "ghcr.io/acme/checkout:1.4.3"], environment: ["RELEASE_TOKEN": Self.token], in: root)
            #expect(first.status == 0, "\(first.stderr)")
        }
        try server.inject(fault)
        let result = try capstan(update + ["--set-image", "ghcr.io/acme/checkout:1.5.0"], environment: ["RELEASE_TOKEN": Self.token],
                                 limit: 60, in: root)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("timed out"), "\(result.stderr)")
        #expect(result.seconds < 20, "the run took \(result.seconds) s with --timeout 3")
    }

    // MARK: Bounded in size (finding 7)

    /// A blob over the 64 MiB YAML limit is refused from its object header, not read.
    @Test func aCommittedFileOverTheLimitIsRefusedBeforeItIsRead() throws {
        let root = try TestSupport.temporaryDirectory("writeback-big")
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = root.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        try Self.values.write(to: tree.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
        let big = open(tree.appendingPathComponent("big.yaml").path, O_WRONLY | O_CREAT, 0o644)
        #expect(ftruncate(big, (64 << 20) + 1) == 0)
        close(big)
        let bare = try GitFixtures.bareRepository(in: root, name: "release", copying: tree)
        let result = try capstan(["update", "--repo", bare.path, "--set-value", "big.yaml:a=b"], in: root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("big.yaml: 67108865 bytes is larger than the 67108864-byte limit"), "\(result.stderr)")
    }

    // MARK: Proxies from the environment (finding 6)

    @Test func httpsGoesThroughTheProxyTheEnvironmentNamesUnlessNoProxyListsTheHost() throws {
        let root = try TestSupport.temporaryDirectory("writeback-proxy")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let tls = try GitHTTPServer.selfSignedCertificate(in: root)
        let server = try GitHTTPServer(root: root, token: Self.token, tls: tls)
        let proxy = try HTTPProxy(directory: root)
        let arguments = ["update", "--repo", server.url("release.git"), "--token-env", "RELEASE_TOKEN", "--ca-bundle", tls.certificate.path]
        let bypassed = try capstan(arguments + ["--set-image", "ghcr.io/acme/checkout:1.5.0"],
                                   environment: ["RELEASE_TOKEN": Self.token, "https_proxy": proxy.url, "no_proxy": "localhost,127.0.0.1"], in: root)
        #expect(bypassed.status == 0, "\(bypassed.stderr)")
        #expect(proxy.requests.isEmpty, "no_proxy lists the host: \(proxy.requests)")
        let proxied = try capstan(arguments + ["--set-image", "ghcr.io/acme/checkout:1.6.0"],
                                  environment: ["RELEASE_TOKEN": Self.token, "HTTPS_PROXY": proxy.url, "no_proxy": "example.com"], in: root)
        #expect(proxied.status == 0, "\(proxied.stderr)")
        #expect(proxy.requests.contains("CONNECT 127.0.0.1:\(server.port)"), "\(proxy.requests)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.6.0\""))
    }

    // MARK: A half-made cache is rebuilt (finding 5)

    /// What a run killed while creating its cache leaves: a `.git` with objects but no HEAD.
    @Test func aWorkDirectoryLeftWithoutHEADIsRebuilt() throws {
        let root = try TestSupport.temporaryDirectory("writeback-halfmade")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let server = try GitHTTPServer(root: root, token: Self.token)
        let workdir = root.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: workdir.appendingPathComponent(".git/objects/pack"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: workdir.appendingPathComponent(".git/refs/heads"), withIntermediateDirectories: true)
        let result = try capstan(["update", "--repo", server.url("release.git"), "--token-env", "RELEASE_TOKEN", "--workdir", workdir.path,
                                  "--set-image", "ghcr.io/acme/checkout:1.5.0"], environment: ["RELEASE_TOKEN": Self.token], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("half-made"), "\(result.stderr)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\""))
        // A stale lock a killed fetch left behind does not stop the next run either.
        try Data().write(to: workdir.appendingPathComponent(".git/refs/remotes/origin/main.lock"))
        let again = try capstan(["update", "--repo", server.url("release.git"), "--token-env", "RELEASE_TOKEN", "--workdir", workdir.path,
                                 "--set-image", "ghcr.io/acme/checkout:1.6.0"], environment: ["RELEASE_TOKEN": Self.token], in: root)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.6.0\""))
    }

    /// Kills `update` at random moments of first and later runs, then runs it again: every
    /// rerun converges, and the branch holds each edit exactly once.
    @Test func killedRunsAtRandomMomentsConvergeWithEachEditOnce() throws {
        let root = try TestSupport.temporaryDirectory("writeback-kill")
        defer { try? FileManager.default.removeItem(at: root) }
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": Self.values])
        let server = try GitHTTPServer(root: root, token: Self.token)
        var generator = SystemRandomNumberGenerator()
        let rounds = 20
        for round in 0..<rounds {
            // Half the rounds start from a fresh work directory (a first run, killed in its first
            // tens of milliseconds), half reuse one (killed anywhere).
            let fresh = round % 2 == 0
            let workdir = root.appendingPathComponent(fresh ? "cache-\(round)" : "cache-reused").path
            let arguments = ["update", "--repo", server.url("release.git"), "--token-env", "RELEASE_TOKEN", "--workdir", workdir,
                             "--set-image", "ghcr.io/acme/checkout:3.\(round).0"]
            let victim = try ChildProcess.spawn(TestSupport.capstan.path, arguments,
                                                environment: ["RELEASE_TOKEN": Self.token, "PATH": "/usr/bin:/bin", "HOME": root.path])
            Thread.sleep(forTimeInterval: Double(UInt64.random(in: fresh ? 2...40 : 0...600, using: &generator)) / 1000)
            victim.kill(SIGKILL)
            victim.wait()
            let rerun = try capstan(arguments, environment: ["RELEASE_TOKEN": Self.token], in: root)
            #expect(rerun.status == 0, "round \(round): \(rerun.stderr)")
        }
        let subjects = try GitFixtures.git(["log", "--format=%s", "main"], in: bare).split(separator: "\n").map(String.init)
        for round in 0..<rounds {
            #expect(subjects.filter { $0 == "Update checkout to 3.\(round).0" }.count == 1, "\(subjects)")
        }
        #expect(subjects.count == rounds + 1)
        try GitFixtures.git(["fsck", "--strict"], in: bare)
    }
}

/// Whether a child is still unreaped, so a timer kills it and nothing else.
private final class RunningFlag: @unchecked Sendable {
    private let lock = NSLock()
    private let pid: pid_t
    private var done = false

    init(pid: pid_t) { self.pid = pid }

    func killIfRunning() {
        lock.lock()
        defer { lock.unlock() }
        if !done { _ = Glibc.kill(pid, SIGKILL) }
    }

    func finish() {
        lock.lock()
        done = true
        lock.unlock()
    }
}
