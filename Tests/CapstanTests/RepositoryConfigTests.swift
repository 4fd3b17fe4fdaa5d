import Foundation
import Testing

/// .capstan.yaml: read from the repository, typos are errors with their position, flags win.
@Suite struct RepositoryConfigTests {
    private func repository(_ files: [String: String]) throws -> URL {
        let root = try TestSupport.temporaryDirectory("config")
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    static let latest = """
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
        - name: c
          image: nginx:latest

    """

    @Test func explainShowsEachValueAndItsLine() throws {
        let root = try repository([".capstan.yaml": "validate:\n  kubernetesVersion: \"1.30\"\n  strict: true\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try TestSupport.capstan(["config", "explain", "--root", root.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("validate.kubernetesVersion"))
        #expect(result.stdout.range(of: #"1\.30\s+\(.*\.capstan\.yaml:2\)"#, options: .regularExpression) != nil, "\(result.stdout)")
        #expect(result.stdout.range(of: #"verify\.mode\s+head\s+\(default\)"#, options: .regularExpression) != nil)
    }

    @Test func anUnknownKeyIsAnErrorWithItsPosition() throws {
        let root = try repository([".capstan.yaml": "validate:\n  strictt: true\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try TestSupport.capstan(["config", "explain", "--root", root.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains(".capstan.yaml:2:3: unknown key validate.strictt"), "\(result.stderr)")
    }

    @Test func aValueOutsideItsSetIsAnErrorWithItsPosition() throws {
        let root = try repository([".capstan.yaml": "pullRequest:\n  mergeMethod: squahs\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try TestSupport.capstan(["config", "explain", "--root", root.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains(".capstan.yaml:2:16") && result.stderr.contains("merge, squash, rebase"), "\(result.stderr)")
    }

    @Test func validateTakesRuleSeveritiesFromTheFileAndFlagsWin() throws {
        let root = try repository([".capstan.yaml": "validate:\n  rules: {image-latest: error}\n", "pod.yaml": Self.latest])
        defer { try? FileManager.default.removeItem(at: root) }
        let promoted = try TestSupport.capstan(["validate", root.path])
        #expect(promoted.status == 1, "\(promoted.stdout)")
        #expect(promoted.stdout.contains("error [image-latest]"))
        let overridden = try TestSupport.capstan(["validate", root.path, "--severity", "image-latest=warning"])
        #expect(overridden.status == 0, "\(overridden.stdout)")
        #expect(overridden.stdout.contains("warning [image-latest]"))
    }

    @Test func setImageLooksOnlyWhereTheFileSaysTheImageLives() throws {
        let values = "image:\n  repository: ghcr.io/acme/app\n  tag: \"1.0\"\n"
        let root = try repository([
            ".capstan.yaml": "images:\n  ghcr.io/acme/app: [envs/]\n",
            "envs/prod/values.yaml": values,
            "archive/old/values.yaml": values,
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try TestSupport.capstan(["set", "image", "ghcr.io/acme/app:2.0", "--root", root.path]).status == 0)
        #expect(try String(contentsOf: root.appendingPathComponent("envs/prod/values.yaml"), encoding: .utf8).contains("\"2.0\""))
        #expect(try String(contentsOf: root.appendingPathComponent("archive/old/values.yaml"), encoding: .utf8) == values)
        #expect(try TestSupport.capstan(["set", "image", "ghcr.io/acme/app:3.0", "--root", root.path, "--path", "archive"]).status == 0)
        #expect(try String(contentsOf: root.appendingPathComponent("archive/old/values.yaml"), encoding: .utf8).contains("\"3.0\""))
    }

    @Test func verifyTakesItsTrustedKeysFromTheFileAtTheRangesBase() throws {
        let root = try TestSupport.temporaryDirectory("config-verify")
        defer { try? FileManager.default.removeItem(at: root) }
        try GitFixtures.git(["init", "-q", "-b", "main"], in: root)
        let keyDirectory = root.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: keyDirectory, withIntermediateDirectories: true)
        let make = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/ssh-keygen"),
                                       ["-q", "-t", "ed25519", "-N", "", "-f", root.appendingPathComponent("k").path])
        #expect(make.status == 0)
        try FileManager.default.copyItem(at: root.appendingPathComponent("k.pub"), to: keyDirectory.appendingPathComponent("k.sshpub"))
        try GitFixtures.git(["add", "keys"], in: root)
        try GitFixtures.git(["commit", "-q", "-m", "keys, no configuration"], in: root)
        try GitFixtures.git(["branch", "trusted"], in: root)
        try GitFixtures.git(["commit", "-q", "--allow-empty", "-m", "unsigned"], in: root)
        let withoutFile = try TestSupport.capstan(["verify", "trusted..HEAD", "--repository", root.path])
        #expect(withoutFile.status == 2, "no keys anywhere is a usage error")
        // The checkout's own .capstan.yaml is never read: the change under test could edit it.
        try "verify:\n  keys: [keys]\n".write(to: root.appendingPathComponent(".capstan.yaml"), atomically: true, encoding: .utf8)
        let fromCheckout = try TestSupport.capstan(["verify", "HEAD", "--repository", root.path])
        #expect(fromCheckout.status == 2, "\(fromCheckout.stdout)\(fromCheckout.stderr)")
        #expect(fromCheckout.stderr.contains("--trust-from"))
        try GitFixtures.git(["add", ".capstan.yaml"], in: root)
        try GitFixtures.git(["commit", "-q", "-m", "configuration"], in: root)
        try GitFixtures.git(["branch", "-f", "trusted"], in: root)
        try GitFixtures.git(["commit", "-q", "--allow-empty", "-m", "unsigned too"], in: root)
        let result = try TestSupport.capstan(["verify", "trusted..HEAD", "--repository", root.path])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("unsigned"))
    }
}
