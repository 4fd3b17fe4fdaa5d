import Foundation
import Testing

/// `capstan version` names the commit it was built from. The commit is read from `.git`
/// by scripts/build-commit.sh (no `git` at build time); real `git` is the oracle here.
@Suite struct BuildCommitTests {
    private static let script = TestSupport.packageRoot.appendingPathComponent("scripts/build-commit.sh")

    /// Runs the script on `checkout` and returns the commit it wrote.
    private func commitWritten(for checkout: URL, environment: [String: String] = [:]) throws -> String {
        let output = checkout.deletingLastPathComponent().appendingPathComponent("out-\(UUID().uuidString)/BuildCommit.swift")
        let result = try TestSupport.run(URL(fileURLWithPath: "/bin/sh"), [Self.script.path, checkout.path, output.path],
                                         environment: ["PATH": "/usr/bin:/bin"].merging(environment) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOf: output, encoding: .utf8)
        let quoted = try #require(text.split(separator: "\"").dropFirst().first, "\(text)")
        return String(quoted)
    }

    @Test func theScriptReadsHeadThroughLooseAndPackedRefsWorktreesAndDetachedHeads() throws {
        let root = try TestSupport.temporaryDirectory("build-commit")
        defer { try? FileManager.default.removeItem(at: root) }
        let checkout = root.appendingPathComponent("checkout")
        try FileManager.default.createDirectory(at: checkout, withIntermediateDirectories: true)
        try GitFixtures.git(["init", "-q", "-b", "main"], in: checkout)
        try Data("a\n".utf8).write(to: checkout.appendingPathComponent("a"))
        try GitFixtures.git(["add", "a"], in: checkout)
        try GitFixtures.git(["commit", "-qm", "one"], in: checkout)
        let first = try GitFixtures.git(["rev-parse", "HEAD"], in: checkout).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try commitWritten(for: checkout) == first, "loose ref")

        try GitFixtures.git(["pack-refs", "--all"], in: checkout)
        #expect(try commitWritten(for: checkout) == first, "packed ref")

        try Data("b\n".utf8).write(to: checkout.appendingPathComponent("a"))
        try GitFixtures.git(["commit", "-qam", "two"], in: checkout)
        let second = try GitFixtures.git(["rev-parse", "HEAD"], in: checkout).trimmingCharacters(in: .whitespacesAndNewlines)
        let worktree = root.appendingPathComponent("worktree")
        try GitFixtures.git(["worktree", "add", "-q", "-b", "side", worktree.path, first], in: checkout)
        #expect(try commitWritten(for: worktree) == first, "worktree on its own branch")
        #expect(try commitWritten(for: checkout) == second, "main checkout after a new commit")

        try GitFixtures.git(["checkout", "-q", "--detach", first], in: checkout)
        #expect(try commitWritten(for: checkout) == first, "detached head")
    }

    @Test func anOverrideOrNoCheckoutGivesAPlainWordOnly() throws {
        let root = try TestSupport.temporaryDirectory("build-commit-plain")
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try commitWritten(for: root) == "unknown")
        #expect(try commitWritten(for: root, environment: ["CAPSTAN_BUILD_COMMIT": "v0.1.0"]) == "v0.1.0")
        #expect(try commitWritten(for: root, environment: ["CAPSTAN_BUILD_COMMIT": "x\"; fatalError(\""]) == "unknown")
    }

    /// The binary under test was built from this checkout, so it names a commit of it: HEAD
    /// itself after a build, or an ancestor of HEAD when commits were made since the build
    /// (`swift test --skip-build`). An unknown or foreign commit fails.
    @Test func versionNamesTheCheckoutsCommit() throws {
        let root = TestSupport.packageRoot
        let result = try TestSupport.capstan(["version", "--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let commit = try #require(json["commit"] as? String)
        #expect(commit.count == 40 && commit.allSatisfy(\.isHexDigit), "\(commit)")
        #expect(throws: Never.self, "\(commit) is not HEAD or an ancestor of it") {
            try GitFixtures.git(["merge-base", "--is-ancestor", commit, "HEAD"], in: root)
        }
        #expect((json["libcurl"] as? String)?.hasPrefix("libcurl/") == true, "the libcurl the HTTP transport links: \(json)")
        for library in ["libgit2", "libyaml", "openssl", "zlib"] {
            #expect((json[library] as? String)?.first?.isNumber == true || (json[library] as? String)?.hasPrefix("OpenSSL ") == true, "\(library): \(json)")
        }
        let short = try TestSupport.capstan(["--version"])
        #expect(short.stdout.contains(String(commit.prefix(12))), "\(short.stdout)")
    }
}
