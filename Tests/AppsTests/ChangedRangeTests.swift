import Apps
import Foundation
import Steps
import Testing

/// `--changed BASE..HEAD`: changed paths come from libgit2's tree diff of a real
/// repository (built here with the git CLI), and this repository's URL from its remote.
@Suite struct ChangedRangeTests {
    /// The Argo CD fixture committed, then a second commit that bumps dev's config, edits
    /// the shared kustomize base, adds an add-on directory and removes staging's config.
    private func repositoryWithTwoCommits() throws -> String {
        let root = try Fixtures.temporaryDirectory("range")
        let tree = "\(root)/repo"
        try FileManager.default.copyItem(atPath: Fixtures.argocd, toPath: tree)
        try Spawned.run(["git", "init", "-q", "-b", "main"], directory: tree)
        try Spawned.run(["git", "remote", "add", "origin", "git@github.com:acme/release-repo.git"], directory: tree)
        try Spawned.run(["git", "add", "-A"], directory: tree)
        try Spawned.run(["git", "commit", "-q", "-m", "base"], directory: tree)
        let config = "\(tree)/envs/dev/config.json"
        let text = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "1.4.3", with: "1.4.4")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        try "# tightened\n".appendingToFile("\(tree)/bases/common/limits.yaml")
        try FileManager.default.createDirectory(atPath: "\(tree)/addons/tracing", withIntermediateDirectories: true)
        try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tracing\n".write(toFile: "\(tree)/addons/tracing/config.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: "\(tree)/envs/staging/config.json")
        try Spawned.run(["git", "add", "-A"], directory: tree)
        try Spawned.run(["git", "commit", "-q", "-m", "head"], directory: tree)
        return tree
    }

    @Test func theAffectedAppsOfACommitRangeComeFromItsTreeDiff() throws {
        let tree = try repositoryWithTwoCommits()
        defer { try? FileManager.default.removeItem(atPath: (tree as NSString).deletingLastPathComponent) }
        let outcome = try AppsStep(options: AppsOptions(repository: tree, change: .range("HEAD~1..HEAD"))).run()
        #expect(outcome.changedPaths?.sorted() == [
            "addons/tracing/config.yaml", "bases/common/limits.yaml", "envs/dev/config.json", "envs/staging/config.json",
        ])
        #expect(Set(outcome.affected?.map { Fixtures.label($0.app) } ?? []) == [
            "argocd-application checkout-dev", "argocd-application metrics-server-dev", "argocd-application metrics-server-prod",
            "argocd-application tracing-dev", "argocd-application tracing-prod", "argocd-applicationset checkout",
        ])
        #expect(outcome.repositoryURLs == ["github.com/acme/release-repo"])
        #expect(outcome.head?.count == 40)
    }

    @Test func eachTyingFileCarriesItsDiffBetweenBaseAndHead() throws {
        let tree = try repositoryWithTwoCommits()
        defer { try? FileManager.default.removeItem(atPath: (tree as NSString).deletingLastPathComponent) }
        let outcome = try AppsStep(options: AppsOptions(repository: tree, change: .range("HEAD~1..HEAD"))).run()
        let diffs = try #require(outcome.diffs)
        #expect(diffs["envs/dev/config.json"]?.contains("-    \"tag\": \"1.4.3\",") == true)
        #expect(diffs["envs/dev/config.json"]?.contains("+    \"tag\": \"1.4.4\",") == true)
        #expect(diffs["addons/tracing/config.yaml"]?.contains("+  name: tracing") == true)
        #expect(diffs["envs/staging/config.json"]?.contains("-  \"env\": \"staging\",") == true)
        #expect(outcome.commentBody.contains("<details><summary><code>bases/common/limits.yaml</code> — metrics-server-dev, metrics-server-prod</summary>"))
    }

    @Test func theCommandPrintsTheAffectedAppsAsJSON() throws {
        let tree = try repositoryWithTwoCommits()
        defer { try? FileManager.default.removeItem(atPath: (tree as NSString).deletingLastPathComponent) }
        let output = try Spawned.run([Fixtures.capstan, "apps", "--changed", "HEAD~1..HEAD", "--output", "json", "--repository", tree])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let affected = object["affected"] as? [[String: Any]] ?? []
        let names = affected.compactMap { ($0["app"] as? [String: Any])?["name"] as? String }
        #expect(names == ["checkout", "checkout-dev", "metrics-server-dev", "metrics-server-prod", "tracing-dev", "tracing-prod"])
        #expect(object["mode"] as? String == "changed")
    }

    @Test func aRangeWithoutTwoEndsIsAUsageError() throws {
        #expect(throws: AppsStepError.self) {
            try AppsStep(options: AppsOptions(repository: Fixtures.argocd, change: .range("HEAD"))).run()
        }
    }
}

extension String {
    fileprivate func appendingToFile(_ path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(utf8))
    }
}
