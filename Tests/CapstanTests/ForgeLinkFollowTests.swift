import Foundation
@testable import Forges
import Testing

/// A URL the forge hands out (a `next` page, a merge task's `Location`) is followed only under
/// the API root the client was made for. A path that merely starts with the root's text
/// (`/api/v3-admin`), or climbs out of it with dot segments that libcurl and servers resolve
/// (`/api/v3/../../admin`, also percent-encoded), is another resource: the token went there.
@Suite struct ForgeLinkFollowTests {
    /// A client whose requests could never be answered: a URL under its root fails to
    /// connect, a URL outside it is refused before any request.
    private let client = HTTPClient(baseURL: URL(string: "http://127.0.0.1:9/api/v3")!,
                                    authorization: ["Authorization": "Bearer follow-test-token-1234"],
                                    options: HTTPOptions(timeout: 1, maxAttempts: 1))

    private func refusedAsOutsideTheRoot(_ url: String) async -> Bool {
        do {
            _ = try await client.follow(url)
            return false
        } catch {
            if case let .unexpectedAnswer(message, _, _) = error { return message.contains("outside the API root") }
            return false
        }
    }

    @Test(arguments: ["http://127.0.0.1:9/api/v3-admin/users", "http://127.0.0.1:9/api/v3/../../admin",
                      "http://127.0.0.1:9/api/v3/repos/../../../admin", "http://127.0.0.1:9/api/v3/%2e%2e/%2E%2E/admin",
                      "http://127.0.0.1:9/api/v3/./../admin", "/api/v3/../admin"])
    func aURLOutsideTheRootIsRefusedUnsent(url: String) async {
        #expect(await refusedAsOutsideTheRoot(url))
    }

    @Test(arguments: ["http://127.0.0.1:9/api/v3/repos/a/b/pulls?page=2", "/api/v3/repos/a/b/pulls?page=2",
                      "http://127.0.0.1:9/api/v3/repos/a/b/commits/..abc/status"])
    func aURLUnderTheRootIsFollowed(url: String) async {
        #expect(await !refusedAsOutsideTheRoot(url))
    }
}
