import Dispatch
import Foundation
import Git
import Synchronization

extension CommitJudge {
    /// Judges `commits` on every core, keeping their order. The commits are read from the
    /// repository first (one thread: libgit2 handles are not shared); only the signature
    /// checks, which are pure computation over immutable keys, run in parallel.
    func judgeAll(_ commits: [SignedCommit]) -> [VerifyOutcome.Entry] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard commits.count >= 64, cores > 1 else { return commits.map(judge) }
        let chunkCount = min(commits.count, cores * 8)
        let chunkSize = (commits.count + chunkCount - 1) / chunkCount
        let results = Mutex<[Int: [VerifyOutcome.Entry]]>([:])
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * chunkSize
            let end = min(start + chunkSize, commits.count)
            guard start < end else { return }
            let entries = commits[start..<end].map(judge)
            results.withLock { $0[chunk] = entries }
        }
        return results.withLock { chunks in (0..<chunkCount).flatMap { chunks[$0] ?? [] } }
    }
}
