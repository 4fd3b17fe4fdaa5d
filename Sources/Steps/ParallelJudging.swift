import Dispatch
import Foundation
import Git
import Synchronization

extension CommitJudge {
    /// Worth spreading over several cores only for longer ranges.
    private static let parallelThreshold = 64

    /// Judges `commits` on every core, keeping their order. Signature checks are pure
    /// computation over immutable keys, safe to run side by side.
    func judgeAll(_ commits: [SignedCommit]) -> [VerifyOutcome.Entry] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard commits.count >= Self.parallelThreshold, cores > 1 else { return commits.map(judge) }
        return Self.inChunks(count: commits.count, cores: cores) { range throws(GitError) in commits[range].map(judge) }
            ?? commits.map(judge)
    }

    /// Commits read ahead of judging at once, and the bytes they may hold: a signed commit is
    /// about 1–2 KB, but a range of hostile commits may carry megabytes each, and what is held
    /// must not grow with the range.
    static let batchSize = 4096
    static let batchBytes = 32 << 20

    /// Reads the commits `ids` through `repository` (the handle whose revision walk just
    /// listed them, so their bytes come from libgit2's object cache, not inflated and hashed
    /// a second time) and judges them on every core: parsing and signature checks need no
    /// libgit2 handle, and libgit2 handles are never shared between threads.
    func judgeAll(_ ids: [ObjectID], repository: Repository,
                  batchSize: Int = Self.batchSize, batchBytes: Int = Self.batchBytes) throws(GitError) -> [VerifyOutcome.Entry] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard ids.count >= Self.parallelThreshold, cores > 1 else {
            return try ids.map { id throws(GitError) in judge(try repository.signedCommit(id)) }
        }
        var entries: [VerifyOutcome.Entry] = []
        entries.reserveCapacity(ids.count)
        var batch: [(ObjectID, [UInt8])] = []
        var held = 0
        func judgeBatch() {
            let objects = batch
            let judged = Self.inChunks(count: objects.count, cores: cores) { range throws(GitError) in
                objects[range].map { judge(SignedCommit(id: $0.0, object: $0.1)) }
            }
            entries += judged ?? objects.map { judge(SignedCommit(id: $0.0, object: $0.1)) }
            batch.removeAll(keepingCapacity: true)
            held = 0
        }
        for id in ids {
            let object = try repository.rawCommit(id)
            batch.append((id, object))
            held += object.count
            if batch.count >= batchSize || held >= batchBytes { judgeBatch() }
        }
        if !batch.isEmpty { judgeBatch() }
        return entries
    }

    /// Runs `work` over consecutive ranges of `0..<count` concurrently and joins the results
    /// in order; nil when any range failed (reported through `onError`).
    private static func inChunks(count: Int, cores: Int,
                                 _ work: @Sendable (Range<Int>) throws(GitError) -> [VerifyOutcome.Entry],
                                 onError: @Sendable (GitError) -> Void = { _ in }) -> [VerifyOutcome.Entry]? {
        let ranges = chunkRanges(count: count, chunks: cores * 8)
        let chunkCount = ranges.count
        let results = Mutex<[Int: [VerifyOutcome.Entry]]>([:])
        let failed = Mutex(false)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = ranges[chunk]
            do throws(GitError) {
                let entries = try work(range)
                results.withLock { $0[chunk] = entries }
            } catch {
                failed.withLock { $0 = true }
                onError(error)
            }
        }
        if failed.withLock({ $0 }) { return nil }
        return results.withLock { chunks in (0..<chunkCount).flatMap { chunks[$0] ?? [] } }
    }

    /// `0..<count` cut into at most `chunks` consecutive, non-empty ranges of nearly equal
    /// length. Each bound is built from the last, so no range can start past its end.
    static func chunkRanges(count: Int, chunks: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let chunkCount = max(1, min(count, chunks))
        let (size, extra) = count.quotientAndRemainder(dividingBy: chunkCount)
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(chunkCount)
        var lower = 0
        for chunk in 0..<chunkCount {
            let upper = lower + size + (chunk < extra ? 1 : 0)
            ranges.append(lower..<upper)
            lower = upper
        }
        return ranges
    }
}
