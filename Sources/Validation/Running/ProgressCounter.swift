import Foundation

/// Counts finished files and reports progress at most every 2% of the work.
final class ProgressCounter: @unchecked Sendable {
    /// Hands out chunk numbers to worker threads, one at a time.
    final class Cursor: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func take() -> Int {
            lock.withLock {
                defer { value += 1 }
                return value
            }
        }
    }

    private let lock = NSLock()
    private let total: Int
    private let report: (@Sendable (Int, Int) -> Void)?
    private var done = 0
    private var lastReported = 0

    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
    }

    func advance(by count: Int) {
        guard let report else { return }
        let current: Int? = lock.withLock {
            done += count
            guard done - lastReported >= max(1, total / 50) || done == total else { return nil }
            lastReported = done
            return done
        }
        if let current { report(current, total) }
    }
}
