import Foundation
import Testing

/// gitlab.com refuses every write to an archived project with a bare "403 Forbidden", to its
/// owner too: after a refused write Capstan reads the project (`GET /projects/:id`, its
/// `archived`) to say which it is, archived (read-only) or a permission the token lacks,
/// instead of offering both (issue 14). Every request and answer is checked against the
/// GitLab API description.
@Suite struct GitLabArchivedProjectTests {
    static let token = "glpat-" + UUID().uuidString
    static let project = "acme/release"

    /// `update --open-pr` on the test GitLab: the branch is pushed (Git is not refused here),
    /// the merge request refused with GitLab's words.
    func openRefused(_ fault: String) throws -> (TestSupport.Result, TestForge) {
        let root = try TestSupport.temporaryDirectory("gitlab-archived")
        let forge = try TestForge(kind: "gitlab", root: root, token: Self.token)
        try forge.repository(Self.project, files: ["apps/checkout.yaml": "image: ghcr.io/acme/checkout:1.4.2\n"])
        try forge.inject(fault)
        let result = try TestSupport.capstan(
            ["update", "--repo", forge.cloneURL(Self.project), "--branch", "capstan/checkout", "--set-image", "ghcr.io/acme/checkout:1.5.0",
             "--open-pr", "--token-env", "FORGE_TOKEN", "--forge", "gitlab", "--forge-url", forge.apiRoot, "--project", Self.project],
            environment: ["FORGE_TOKEN": Self.token])
        return (result, forge)
    }

    @Test func aRefusedWriteToAnArchivedProjectSaysItIsArchived() throws {
        let (result, forge) = try openRefused(#"{"archived": true}"#)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("POST /projects/acme%2Frelease/merge_requests: HTTP 403: 403 Forbidden — the project is archived (read-only)"),
                "\(result.stderr)")
        #expect(!result.stderr.contains("lacks a permission"), "\(result.stderr)")
        #expect(forge.apiLog.contains { $0["method"] as? String == "GET" && $0["path"] as? String == "/projects/acme%2Frelease" },
                "the project was not read")
        let check = try forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func aRefusedWriteToAProjectNotArchivedSaysTheTokenOrARuleRefused() throws {
        let (result, forge) = try openRefused(#"{"match": "POST /projects/acme%2Frelease/merge_requests", "status": 403, "body": {"message": "403 Forbidden"}}"#)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("HTTP 403: 403 Forbidden — the project is not archived, so the token lacks a permission"), "\(result.stderr)")
        #expect(!result.stderr.contains("archived (read-only)"), "\(result.stderr)")
        let check = try forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    /// When the project cannot be read either, the refusal stands as GitLab gave it, with
    /// every reason it may have.
    @Test func aRefusedWriteWhoseProjectCannotBeReadKeepsEveryReason() throws {
        let root = try TestSupport.temporaryDirectory("gitlab-archived-unread")
        let forge = try TestForge(kind: "gitlab", root: root, token: Self.token)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.repository(Self.project, files: ["apps/checkout.yaml": "image: ghcr.io/acme/checkout:1.4.2\n"])
        try forge.inject(#"{"match": "POST /projects/acme%2Frelease/merge_requests", "status": 403, "body": {"message": "403 Forbidden"}}"#)
        try forge.inject(#"{"match": "GET /projects/acme%2Frelease", "exact": true, "status": 404, "body": {"message": "404 Project Not Found"}}"#)
        let result = try TestSupport.capstan(
            ["pr", "open", "--head", "main", "--base", "main", "--title", "t", "--token-env", "FORGE_TOKEN", "--forge", "gitlab",
             "--forge-url", forge.apiRoot, "--project", Self.project], environment: ["FORGE_TOKEN": Self.token])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("HTTP 403: 403 Forbidden — the token lacks a permission"), "\(result.stderr)")
        #expect(result.stderr.contains("or the repository is archived (read-only)"), "\(result.stderr)")
    }
}
