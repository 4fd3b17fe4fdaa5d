import Forges
import Testing

/// Forge errors end with what to do next where the status says enough.
@Suite struct ForgeErrorTests {
    @Test func refusedMissingAndForbiddenSayWhatToCheck() {
        let unauthorised = ForgeError.http(status: 401, message: "Bad credentials", method: "POST", path: "/repos/acme/release/pulls")
        #expect(unauthorised.description.hasPrefix("POST /repos/acme/release/pulls: HTTP 401: Bad credentials — "))
        #expect(unauthorised.description.contains("--token-env"))
        #expect(ForgeError.http(status: 404, message: "", method: "GET", path: "/x").description.contains("--repo / --project"))
        #expect(ForgeError.http(status: 403, message: "", method: "PUT", path: "/x").description.contains("permission"))
        #expect(!ForgeError.http(status: 422, message: "Validation Failed", method: "POST", path: "/x").description.contains("—"))
        #expect(ForgeError.transport(message: "connection refused", method: "GET", path: "/x").description.contains("--forge-url"))
    }
}

/// A 403 to a read of checks or statuses says what reading them needs, in the forge's own
/// words: the write permissions a PR step needs are the wrong advice for a read.
@Suite struct ForbiddenStatusReadTests {
    private func hint(_ method: String, _ path: String) -> String {
        ForgeError.http(status: 403, message: "Resource not accessible by integration", method: method, path: path).description
    }

    @Test(arguments: [
        ("/repos/acme/release/commits/0a1b2c3/check-runs?per_page=100", "checks: read"),
        ("/repos/acme/release/commits/0a1b2c3/status", "statuses: read"),
        ("/repos/acme/release/commits/0a1b2c3/statuses?limit=50", "read:repository"),
        ("/projects/acme%2Frelease/repository/commits/0a1b2c3/statuses?per_page=100", "read_api"),
        ("/repositories/acme/release/pullrequests/1/statuses?pagelen=100", "read:pullrequest:bitbucket"),
        ("/repositories/acme/release/commit/0a1b2c3/statuses?pagelen=100", "read:repository:bitbucket"),
        ("/rest/build-status/latest/commits/0a1b2c3?limit=100&orderBy=NEWEST&start=0", "REPO_READ"),
        ("/api/latest/projects/ACME/repos/release/pull-requests/1/merge", "REPO_READ"),
        ("/acme/_apis/git/repositories/release/commits/0a1b2c3/statuses?api-version=7.1&latestOnly=true", "Code (Read)"),
    ])
    func aRefusedStatusReadNamesWhatReadingNeeds(path: String, needed: String) {
        let text = hint("GET", path)
        #expect(text.contains(needed), "\(text)")
        #expect(!text.contains("write"), "\(text)")
    }

    @Test func aRefusedReadOfSomethingElseAsksForReadAccessNotWrite() {
        let text = hint("GET", "/repos/acme/release/pulls/1")
        #expect(text.contains("read"), "\(text)")
        #expect(!text.contains("write"), "\(text)")
    }

    @Test func aRefusedWriteStillNamesTheWritePermissions() {
        #expect(hint("PUT", "/repos/acme/release/pulls/1/merge").contains("pull requests and contents: write"))
    }
}
