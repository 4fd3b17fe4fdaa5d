import CapstanTestSupport
import Foundation
@testable import Forges
import Testing

/// GitHub's rate-limited answers as hub4j/github-api keeps them for its handler tests
/// (Tests/Fixtures/forges/recorded/github/*rate-limit*; written by hub4j on a recorded answer,
/// see the README): their times are on GitHub's clock, years before the runner's.
@Suite struct RecordedGitHubRateLimitTests {
    private static let head = "b036909fcf45565c82c888ee326ebd0e382f6173"

    private func replay(_ recording: String, _ runs: [[String]]) throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/github/\(recording)"),
                                      prefix: "/api/v3", runs, project: "hub4j-test-org/github-api", forge: "github")
    }

    /// Seconds between one request and the next, as the replay server saw them.
    private func gaps(_ log: [[String: Any]]) -> [Double] {
        let times = log.compactMap { $0["at"] as? Double }
        return zip(times, times.dropFirst()).map { $1 - $0 }
    }

    /// The reset is 3 s after GitHub's Date: Capstan waits those 3 s (not the floor a reset
    /// "in the past" on the runner's clock would give), asks once more and reads the PR.
    @Test func aPrimaryLimitIsWaitedOutByGitHubsClock() throws {
        let (results, log) = try replay("rate-limit-primary.json", [["pr", "find", "309", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(Self.head), "\(result.stdout)")
        let waits = gaps(log)
        #expect(waits.count == 1 && waits.allSatisfy { (2.9..<10).contains($0) }, "waited \(waits) s; GitHub's reset was 3 s ahead")
    }

    /// A limit that never lifts: four waits of 3 s each, five requests in all, then a message
    /// saying how long Capstan waited and GitHub's words.
    @Test func aPrimaryLimitThatNeverLiftsEndsAfterFourWaitsSayingSo() throws {
        let (results, log) = try replay("rate-limit-primary-stuck.json", [["pr", "find", "309"]])
        #expect(RecordedForgeTests.allMatched(log, 5), "\(log)")
        let waits = gaps(log)
        #expect(waits.count == 4 && waits.allSatisfy { (2.9..<10).contains($0) }, "\(waits)")
        let result = try #require(results.first)
        #expect(result.status == 1)
        #expect(result.stderr.contains("still rate limited after 4 waits"), "\(result.stderr)")
        #expect(result.stderr.contains("Must have push access to repository"), "\(result.stderr)")
        #expect(!result.stderr.contains("more than the budget"), "four waits of 3 s are within the budget: \(result.stderr)")
    }

    /// A secondary limit with Retry-After 2: one wait of 2 s, then the PR.
    @Test func aSecondaryLimitWaitsWhatRetryAfterSays() throws {
        let (results, log) = try replay("secondary-rate-limit-retry-after.json", [["pr", "find", "309", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        #expect(results.first?.status == 0, "\(results.first?.stderr ?? "")")
        let waits = gaps(log)
        #expect(waits.count == 1 && waits.allSatisfy { (1.9..<10).contains($0) }, "\(waits)")
    }
}

extension RecordedGitHubRateLimitTests {
    private func recordedAnswer(_ file: String, _ index: Int) throws -> HTTPAnswer {
        let data = try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("forges/recorded/github/\(file)"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let exchange = try #require((document["exchanges"] as? [[String: Any]])?[index])
        return HTTPAnswer(status: try #require(exchange["status"] as? Int), headers: try #require(exchange["headers"] as? [String: String]),
                          body: try JSONSerialization.data(withJSONObject: try #require(exchange["response"])))
    }

    /// Secondary limits without a number of seconds: GitHub asks for at least a minute, and its
    /// X-RateLimit-Reset (of the primary window, not exhausted) says nothing of them. A
    /// Retry-After date is 8 s after GitHub's Date, on a runner whose clock is years ahead.
    @Test func secondaryLimitsWaitWhatGitHubAsksWhateverTheRunnersClock() throws {
        let file = "secondary-rate-limit-answers.json"
        #expect(RateLimitWait.seconds(for: try recordedAnswer(file, 0)) == 60, "403, its words, X-RateLimit-Remaining 21")
        #expect(RateLimitWait.seconds(for: try recordedAnswer(file, 1)) == 60, "429, its words, no Retry-After")
        #expect(RateLimitWait.seconds(for: try recordedAnswer(file, 2)) == 8, "429, Retry-After 8 s after Date")
        #expect(RateLimitWait.seconds(for: try recordedAnswer(file, 3)) == 60, "403, gh-limited-by, X-RateLimit-Remaining 4000")
    }

    /// The primary limit's reset, 3 s after GitHub's Date, is 3 s away whatever the runner's clock says.
    @Test func aPrimaryLimitsResetIsCountedFromGitHubsDate() throws {
        #expect(RateLimitWait.seconds(for: try recordedAnswer("rate-limit-primary.json", 0)) == 3)
        #expect(RateLimitWait.seconds(for: try recordedAnswer("rate-limit-primary.json", 0), now: Date(timeIntervalSince1970: 0)) == 3)
    }
}

extension RecordedGitHubRateLimitTests {
    /// The issue's finding 4 as recorded: a primary limit with no Date to count from and a
    /// reset years before the runner's clock. The wait is the floor (1 s), never 0, and one
    /// retry reads the PR.
    @Test func aResetPastOnEveryClockIsWaitedOutWithTheFloor() throws {
        let (results, log) = try replay("rate-limit-reset-past.json", [["pr", "find", "309", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        #expect(results.first?.status == 0, "\(results.first?.stderr ?? "")")
        let waits = gaps(log)
        #expect(waits.count == 1 && waits.allSatisfy { (0.9..<2.5).contains($0) }, "\(waits)")
    }
}
