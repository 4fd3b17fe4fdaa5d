import CapstanTestSupport
import Foundation
import Testing

/// action/install.sh, the action's first step: a release tag's binary is downloaded and run
/// only when it matches the release's .sha256; any other ref is built from source. The
/// release is served on loopback by Tests/Support/release_server.py.
@Suite struct ActionInstallTests {
    static let script = TestSupport.packageRoot.appendingPathComponent("action/install.sh")
    static let asset: String = {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return "capstan-linux-\(machine)"
    }()
    static let stub = "#!/bin/sh\necho capstan-stub 9.8.7\n"

    /// A release directory `v9.8.7/` holding the stub binary and, unless `checksum` is nil, a
    /// .sha256 line for it naming `checksum` ("right" for the real digest).
    private func release(in root: URL, checksum: String?) throws -> URL {
        let directory = root.appendingPathComponent("releases/v9.8.7")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let binary = directory.appendingPathComponent(Self.asset)
        try Data(Self.stub.utf8).write(to: binary)
        if let checksum {
            let digest = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/sha256sum"), [binary.path]).stdout.prefix(64)
            let line = (checksum == "right" ? String(digest) : checksum) + "  " + Self.asset + "\n"
            try Data(line.utf8).write(to: directory.appendingPathComponent(Self.asset + ".sha256"))
        }
        return root.appendingPathComponent("releases")
    }

    private func install(ref: String, releases: URL, root: URL, source: URL? = nil) throws -> TestSupport.Result {
        let (server, port) = try ChildProcess.startPythonServer("release_server.py", [releases.path], in: root)
        defer {
            server.kill()
            server.wait()
        }
        return try TestSupport.run(URL(fileURLWithPath: "/bin/bash"), [Self.script.path], environment: [
            "PATH": "/usr/bin:/bin", "CAPSTAN_REF": ref, "CAPSTAN_REPOSITORY": "acme/capstan",
            "CAPSTAN_RELEASES": "http://127.0.0.1:\(port)", "CAPSTAN_INSTALL_DIR": root.appendingPathComponent("bin").path,
            "GITHUB_PATH": root.appendingPathComponent("github-path").path, "CAPSTAN_BUILDER": "host",
            "CAPSTAN_SOURCE": (source ?? root.appendingPathComponent("no-source")).path,
        ])
    }

    @Test func aReleaseTagInstallsTheBinaryThatMatchesItsChecksum() throws {
        let root = try TestSupport.temporaryDirectory("action-install")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try install(ref: "v9.8.7", releases: try release(in: root, checksum: "right"), root: root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("sha256 checked") && result.stdout.contains("capstan-stub 9.8.7"), "\(result.stdout)")
        let installed = try String(contentsOf: root.appendingPathComponent("bin/capstan"), encoding: .utf8)
        #expect(installed == Self.stub)
        let path = try String(contentsOf: root.appendingPathComponent("github-path"), encoding: .utf8)
        #expect(path == root.appendingPathComponent("bin").path + "\n")
    }

    @Test(arguments: [String?.none, String(repeating: "0", count: 64)])
    func aBinaryWithoutAMatchingChecksumIsNeverInstalled(checksum: String?) throws {
        let root = try TestSupport.temporaryDirectory("action-install-bad")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try install(ref: "v9.8.7", releases: try release(in: root, checksum: checksum), root: root)
        #expect(result.status != 0)
        #expect(result.stderr.contains(checksum == nil ? "refusing an unchecked binary" : "does not match"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("bin/capstan").path))
        #expect(!result.stdout.contains("capstan-stub"), "the binary ran")
    }

    /// A branch ref has no release: the action builds its own source with
    /// scripts/build-release (a stand-in here that records the commit it was given).
    @Test func aBranchIsBuiltFromTheActionsSource() throws {
        let root = try TestSupport.temporaryDirectory("action-install-build")
        defer { try? FileManager.default.removeItem(at: root) }
        let source = root.appendingPathComponent("source")
        try FileManager.default.createDirectory(at: source.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        let builder = source.appendingPathComponent("scripts/build-release")
        try Data("""
        #!/bin/sh
        mkdir -p "$(dirname "$0")/../dist"
        printf '#!/bin/sh\\necho built-from-source %s\\n' "$CAPSTAN_BUILD_COMMIT" > "$(dirname "$0")/../dist/\(Self.asset)"

        """.utf8).write(to: builder)
        chmod(builder.path, 0o755)
        let result = try install(ref: "main", releases: try release(in: root, checksum: "right"), root: root, source: source)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("built-from-source main"), "\(result.stdout)")
        #expect(!result.stdout.contains("capstan-stub"), "a branch must not take a release's binary")
    }
}
