import CapstanTestSupport
import Foundation
import Testing

/// Trust never comes from the revision under test (issue 12, finding 1): a branch cannot
/// add its own key or weaken the mode through the `.capstan.yaml` it carries.
@Suite struct TrustSourceTests {
    static let capstan: String = {
        if let override = ProcessInfo.processInfo.environment["CAPSTAN_BIN"] { return override }
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("capstan").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return PackagePaths.root + "/.build/debug/capstan"
    }()

    static func verify(_ arguments: [String], in repo: ScratchRepository, environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        var base = ["PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path]
        base.merge(environment) { $1 }
        let result = try ChildProcess.run(capstan, ["verify"] + arguments + ["--repository", repo.path], environment: base)
        return (result.status, String(decoding: result.stdout + result.stderr, as: UTF8.self))
    }

    /// `main` trusts the lab's ssh-ed25519 key through `.signing/keys` in its .capstan.yaml.
    static func trustingMain(_ lab: SigningLab, config: String = "verify:\n  keys: [.signing/keys]\n") throws -> (ScratchRepository, String) {
        let repo = try ScratchRepository(lab: lab)
        try FileManager.default.createDirectory(atPath: repo.path + "/.signing/keys", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: lab.keys + "/ssh-ed25519.sshpub", toPath: repo.path + "/.signing/keys/team.sshpub")
        try config.write(toFile: repo.path + "/.capstan.yaml", atomically: true, encoding: .utf8)
        try repo.run(["git", "add", "-A"])
        let base = try repo.commit("trusted base")
        try repo.run(["git", "checkout", "-q", "-b", "feature"])
        return (repo, base)
    }

    @Test func aBranchThatAddsItsOwnKeyIsNotTrusted() throws {
        let lab = try SigningLab.get()
        let (repo, _) = try Self.trustingMain(lab)
        defer { repo.remove() }
        try FileManager.default.copyItem(atPath: lab.secretFiles["ssh-stranger"]! + ".pub", toPath: repo.path + "/.signing/keys/zz.sshpub")
        try repo.run(["git", "add", "-A"])
        try repo.commit("add my key", config: ["-c", "user.signingkey=\(lab.secretFiles["ssh-stranger"]!).pub"])
        let result = try Self.verify(["main..HEAD", "--mode", "range"], in: repo)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("unknown key"), "\(result.output)")
    }

    @Test func aBranchCannotWeakenTheMode() throws {
        let lab = try SigningLab.get()
        let (repo, _) = try Self.trustingMain(lab, config: "verify:\n  keys: [.signing/keys]\n  mode: range\n")
        defer { repo.remove() }
        try repo.commit("sneaked in", signed: false)
        try "verify:\n  keys: [.signing/keys]\n  mode: head\n".write(toFile: repo.path + "/.capstan.yaml", atomically: true, encoding: .utf8)
        try repo.run(["git", "add", "-A"])
        try repo.commit("only judge my head, please")
        let result = try Self.verify(["main..HEAD"], in: repo)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("unsigned"), "\(result.output)")
    }

    @Test func keysInsideTheCheckoutUnderTestAreRefused() throws {
        let lab = try SigningLab.get()
        let (repo, _) = try Self.trustingMain(lab)
        defer { repo.remove() }
        try repo.commit("signed")
        let result = try Self.verify(["main..HEAD", "--keys", repo.path + "/.signing/keys"], in: repo)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("under test"), "\(result.output)")
    }

    @Test func withoutATrustedRevisionTheCheckoutsConfigIsNotRead() throws {
        let lab = try SigningLab.get()
        let (repo, _) = try Self.trustingMain(lab)
        defer { repo.remove() }
        try repo.commit("signed")
        let result = try Self.verify(["HEAD"], in: repo)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("--trust-from"), "\(result.output)")
    }
}

/// The trusted sources `capstan verify` does read: --trust-from, --config, the environment.
@Suite struct TrustedSourceTests {
    @Test func trustFromReadsRelativeKeyPathsFromThatRevisionsTree() throws {
        let lab = try SigningLab.get()
        let (repo, _) = try TrustSourceTests.trustingMain(lab)
        defer { repo.remove() }
        try FileManager.default.copyItem(atPath: lab.secretFiles["ssh-stranger"]! + ".pub", toPath: repo.path + "/.signing/keys/zz.sshpub")
        try repo.run(["git", "add", "-A"])
        try repo.commit("add my key", config: ["-c", "user.signingkey=\(lab.secretFiles["ssh-stranger"]!).pub"])
        let result = try TrustSourceTests.verify(["main..HEAD", "--trust-from", "main", "--keys", ".signing/keys"], in: repo)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("unknown key"), "\(result.output)")
    }

    @Test func trustFromACommitUnderTestIsRefused() throws {
        let lab = try SigningLab.get()
        let (repo, _) = try TrustSourceTests.trustingMain(lab)
        defer { repo.remove() }
        try repo.commit("signed")
        let result = try TrustSourceTests.verify(["main..HEAD", "--trust-from", "HEAD"], in: repo)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("one of the commits being verified"), "\(result.output)")
    }

    @Test func configFileOutsideTheCheckoutSuppliesKeysAndMode() throws {
        let lab = try SigningLab.get()
        let (repo, base) = try TrustSourceTests.trustingMain(lab)
        defer { repo.remove() }
        try repo.commit("unsigned", signed: false)
        try repo.commit("signed")
        let folder = lab.root + "/config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/keys", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: lab.keys + "/ssh-ed25519.sshpub", toPath: folder + "/keys/team.sshpub")
        try "verify:\n  keys: [keys]\n  mode: strict\n".write(toFile: folder + "/verify.yaml", atomically: true, encoding: .utf8)
        let result = try TrustSourceTests.verify(["\(base)..HEAD", "--config", folder + "/verify.yaml"], in: repo)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("unsigned"), "\(result.output)")
        let inside = try TrustSourceTests.verify(["\(base)..HEAD", "--config", repo.path + "/.capstan.yaml"], in: repo)
        #expect(inside.status == 2, "\(inside.output)")
    }

    @Test func environmentNamesKeysOutsideTheCheckout() throws {
        let lab = try SigningLab.get()
        let repo = try ScratchRepository(lab: lab)
        defer { repo.remove() }
        try repo.commit("signed")
        let good = try TrustSourceTests.verify(["HEAD"], in: repo, environment: ["CAPSTAN_VERIFY_KEYS": lab.keys + "/ssh-ed25519.sshpub"])
        #expect(good.status == 0, "\(good.output)")
        let stranger = try TrustSourceTests.verify(["HEAD"], in: repo, environment: ["CAPSTAN_VERIFY_KEYS": lab.keys + "/ssh-ecdsa256.sshpub"])
        #expect(stranger.status == 1, "\(stranger.output)")
    }

    @Test func aBaseNamedFromTheHeadUnderTestSuppliesNoTrust() throws {
        let lab = try SigningLab.get()
        let (repo, _) = try TrustSourceTests.trustingMain(lab)
        defer { repo.remove() }
        try repo.commit("signed")
        let result = try TrustSourceTests.verify(["HEAD~1..HEAD"], in: repo)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("named from the head under test"), "\(result.output)")
    }

    @Test func anAmbiguousTrustedNameIsRefused() throws {
        let lab = try SigningLab.get()
        let (repo, _) = try TrustSourceTests.trustingMain(lab)
        defer { repo.remove() }
        let head = try repo.commit("signed")
        // A pusher's tag that shadows the remote-tracking branch the pipeline means.
        try repo.run(["git", "update-ref", "refs/remotes/origin/main", "main"])
        try repo.run(["git", "tag", "origin/main", head])
        let result = try TrustSourceTests.verify(["origin/main..HEAD"], in: repo)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("ambiguous"), "\(result.output)")
    }

    @Test func aLinkFromAKeyFolderIntoTheCheckoutIsRefused() throws {
        let lab = try SigningLab.get()
        let (repo, _) = try TrustSourceTests.trustingMain(lab)
        defer { repo.remove() }
        try repo.commit("signed")
        let folder = lab.root + "/linked-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/team.sshpub", withDestinationPath: repo.path + "/.signing/keys/team.sshpub")
        let result = try TrustSourceTests.verify(["main..HEAD", "--keys", folder], in: repo)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("under test"), "\(result.output)")
    }
}
