import Foundation
import Testing
@testable import Forges

/// The one "read until it settles" loop the forges share (GitLab's MR head, Azure's
/// completion, Bitbucket's merge task): its bound, its pauses and when it stops early.
@Suite struct PollingTests {
    /// A clock on which time passes only by sleeping, which returns at once and is written
    /// down, so a test sees every pause without waiting for it.
    final class PauseClock: Clock, @unchecked Sendable {
        typealias Instant = ContinuousClock.Instant
        private let lock = NSLock()
        private let start = ContinuousClock.now
        private var slept: [Duration] = []

        var pauses: [Duration] { lock.withLock { slept } }
        var now: Instant { lock.withLock { start + slept.reduce(.zero, +) } }
        var minimumResolution: Duration { .nanoseconds(1) }

        func sleep(until deadline: Instant, tolerance: Duration?) async throws {
            try Task.checkCancellation()
            lock.withLock { slept.append(deadline - (start + slept.reduce(.zero, +))) }
        }
    }

    /// Counts reads and answers from a script: nil ("not yet") once the script runs out.
    actor Reads {
        private var script: [Int?]
        private(set) var count = 0
        init(_ script: [Int?]) { self.script = script }
        func next() -> Int? {
            count += 1
            return script.isEmpty ? nil : script.removeFirst()
        }
    }

    @Test func givesUpAtItsBoundWithAPauseBeforeEveryRead() async throws {
        let clock = PauseClock(), reads = Reads([])
        let value = try await Polling(step: .milliseconds(500), reads: 4, clock: clock).first { await reads.next() }
        #expect(value == nil)
        #expect(await reads.count == 4)
        #expect(clock.pauses == Array(repeating: .milliseconds(500), count: 4))
    }

    @Test func readingAtOnceReadsBeforeTheFirstPause() async throws {
        let clock = PauseClock(), reads = Reads([])
        let value = try await Polling(step: .seconds(2), reads: 3, clock: clock).first(readingAtOnce: true) { await reads.next() }
        #expect(value == nil)
        #expect(await reads.count == 3)
        #expect(clock.pauses == [.seconds(2), .seconds(2)])
    }

    @Test func returnsTheFirstValueAndReadsNoMore() async throws {
        let clock = PauseClock(), reads = Reads([nil, nil, 7, 8])
        let value = try await Polling(reads: 10, clock: clock).first { await reads.next() }
        #expect(value == 7)
        #expect(await reads.count == 3)
        #expect(clock.pauses.count == 3)
    }

    @Test func aFailedReadEndsThePoll() async throws {
        let clock = PauseClock(), reads = Reads([])
        let failure = ForgeError.http(status: 500, message: "down", method: "GET", path: "/task")
        await #expect(throws: failure) {
            try await Polling(reads: 10, clock: clock).first { () throws(ForgeError) -> Int? in
                _ = await reads.next()
                if await reads.count == 2 { throw failure }
                return nil
            }
        }
        #expect(await reads.count == 2)
    }

    /// A cancelled task sends no more requests: the pause ends at once and the poll with it
    /// (a `try?` around the sleep would instead read again and again without pausing).
    @Test func aCancelledTaskReadsNoMore() async throws {
        let clock = PauseClock(), reads = Reads([])
        // Its own task, so the test's task is not the one cancelled.
        let poll = Task { () async throws -> Int? in
            try await Polling(step: .seconds(60), reads: 5, clock: clock).first(readingAtOnce: true) { () -> Int? in
                withUnsafeCurrentTask { $0?.cancel() }
                return await reads.next()
            }
        }
        #expect(try await poll.value == nil)
        #expect(await reads.count == 1)
        #expect(clock.pauses.isEmpty, "no pause was slept: \(clock.pauses)")
    }
}
