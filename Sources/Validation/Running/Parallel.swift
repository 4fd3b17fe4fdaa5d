import Dispatch

/// Spreads work over threads in small chunks handed out one at a time, so a slow file
/// does not leave a thread idle while another still has a long queue.
enum Parallel {
    /// Runs `body` over chunks of 0..<count on `workers` threads (inline when there is one).
    static func forEachChunk(count: Int, workers: Int, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        if workers == 1 {
            body(0..<count)
            return
        }
        let chunk = max(1, min(64, count / (workers * 8)))
        let chunks = (count + chunk - 1) / chunk
        let next = ProgressCounter.Cursor()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let index = next.take()
                guard index < chunks else { return }
                body(index * chunk..<min(count, (index + 1) * chunk))
            }
        }
    }
}
