import Foundation
import Testing
@testable import Forges

/// How long each forge's rate-limit answer asks Capstan to wait.
@Suite struct RateLimitWaitTests {
    private func answer(_ status: Int, _ headers: [String: String], body: String = "") -> HTTPAnswer {
        HTTPAnswer(status: status, headers: headers, body: Data(body.utf8))
    }

    @Test func retryAfterInSecondsOrAsADate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RateLimitWait.seconds(for: answer(429, ["Retry-After": "7"]), now: now) == 7)
        #expect(RateLimitWait.seconds(for: answer(429, ["retry-after": "Tue, 14 Nov 2023 22:13:40 GMT"]), now: now) == 20)
    }

    @Test func githubPrimaryAndSecondaryLimits() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let primary = answer(403, ["x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000030"])
        #expect(RateLimitWait.seconds(for: primary, now: now) == 30)
        let secondary = answer(403, [:], body: #"{"message": "You have exceeded a secondary rate limit."}"#)
        #expect(RateLimitWait.seconds(for: secondary, now: now) == 60)
    }

    @Test func gitlabRateLimitReset() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RateLimitWait.seconds(for: answer(429, ["RateLimit-Reset": "1700000005"]), now: now) == 5)
    }

    @Test func aPlainForbiddenIsNotARateLimit() {
        #expect(RateLimitWait.seconds(for: answer(403, [:], body: #"{"message": "Resource not accessible by integration"}"#)) == nil)
        #expect(RateLimitWait.seconds(for: answer(502, [:])) == nil)
    }
}
