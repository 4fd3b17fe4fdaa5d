import Foundation
@testable import Forges
import Testing

/// Paths Capstan builds hold values it did not choose: a PR's head branch (whoever opened
/// the PR named it), a head SHA (the forge's answer). Git allows `#`, `%`, `{`, `|`, `"`, `<`
/// and non-ASCII letters in branch names; none may stand raw in a URL path. Foundation traps
/// (a crash, no reason given) when such a path is set raw, so they are percent-encoded.
@Suite struct ForgePathTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"

    @Test(arguments: ["github", "gitea"])
    func aMergedBranchWhoseNameAURLPathCannotHoldIsDeleted(kind: String) throws {
        let root = try TestSupport.temporaryDirectory("path-\(kind)")
        defer { try? FileManager.default.removeItem(at: root) }
        let forge = try TestForge(kind: kind, root: root, token: Self.token)
        let bare = try forge.repository(Self.project, files: ["values.yaml": PullRequestTests.values])
        let flags = ["--repo", forge.cloneURL(Self.project), "--token-env", "FORGE_TOKEN", "--forge", kind,
                     "--forge-url", forge.apiRoot, "--project", Self.project, "--poll-interval", "0.1"]
        let environment = ["FORGE_TOKEN": Self.token]
        let branch = "capstan/fix#1-über|{x}"
        let opened = try TestSupport.capstan(["update", "--branch", branch, "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr"] + flags,
                                             environment: environment)
        try #require(opened.status == 0, "\(opened.stderr)")
        let merged = try TestSupport.capstan(["pr", "merge", "1", "--allow-no-checks", "--delete-branch"] + flags, environment: environment)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("1.5.0"))
        let branches = try GitFixtures.git(["branch", "--list"], in: bare)
        #expect(!branches.contains("capstan/fix"), "\(branches)")
    }

    /// Git lets a branch be named `capstan/%6Dain`; sent raw in the DELETE's path, the `%6D`
    /// passed as an escape a caller made and the forge read it as `m`: `pr merge
    /// --delete-branch` deleted `capstan/main`, another branch, and left the merged one. The
    /// name someone else chose is percent-encoded whole, `%` included.
    @Test(arguments: ["github", "gitea", "gitlab"])
    func aMergedBranchNamedLikeAnEscapeIsDeletedNotTheBranchItSpells(kind: String) throws {
        let root = try TestSupport.temporaryDirectory("escape-\(kind)")
        defer { try? FileManager.default.removeItem(at: root) }
        let forge = try TestForge(kind: kind, root: root, token: Self.token)
        let bare = try forge.repository(Self.project, files: ["values.yaml": PullRequestTests.values])
        _ = try GitFixtures.git(["branch", "capstan/main", "main"], in: bare)
        let flags = ["--repo", forge.cloneURL(Self.project), "--token-env", "FORGE_TOKEN", "--forge", kind,
                     "--forge-url", forge.apiRoot, "--project", Self.project, "--poll-interval", "0.1"]
        let environment = ["FORGE_TOKEN": Self.token]
        let opened = try TestSupport.capstan(["update", "--branch", "capstan/%6Dain", "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr"]
                                             + flags, environment: environment)
        try #require(opened.status == 0, "\(opened.stderr)")
        let merged = try TestSupport.capstan(["pr", "merge", "1", "--allow-no-checks", "--delete-branch"] + flags, environment: environment)
        #expect(merged.status == 0, "\(merged.stderr)")
        let branches = try GitFixtures.git(["branch", "--list"], in: bare)
        #expect(!branches.contains("capstan/%6Dain"), "the merged branch is deleted: \(branches)")
        #expect(branches.contains("capstan/main"), "another branch is left alone: \(branches)")
    }
}

/// The path of a request as sent: characters a URL path cannot hold are percent-encoded,
/// escapes a caller made (GitLab's `%2F`) kept.
@Suite struct ForgeRequestPathTests {
    @Test func charactersAPathCannotHoldAreEncodedAndEscapesKept() {
        #expect(HTTPClient.pathEncoded("/repos/a/b/git/refs/heads/fix#1-über|{x}") == "/repos/a/b/git/refs/heads/fix%231-%C3%BCber%7C%7Bx%7D")
        #expect(HTTPClient.pathEncoded("/projects/acme%2Frelease/merge_requests") == "/projects/acme%2Frelease/merge_requests")
        #expect(HTTPClient.pathEncoded("/a b/100%/%zz/%4") == "/a%20b/100%25/%25zz/%254")
        #expect(HTTPClient.pathEncoded("/x?y\"<>^`\\") == "/x%3Fy%22%3C%3E%5E%60%5C")
    }

    /// A branch name is encoded whole before it joins a path, `%` included, its `/` kept: what
    /// looks like an escape in it is part of its name.
    @Test func aBranchNameIsEncodedWholeItsSlashesKept() {
        #expect(HTTPClient.branchPath("capstan/%6Dain") == "capstan/%256Dain")
        #expect(HTTPClient.pathEncoded("/git/refs/heads/" + HTTPClient.branchPath("a%2Fb/über#1")) == "/git/refs/heads/a%252Fb/%C3%BCber%231")
    }
}
