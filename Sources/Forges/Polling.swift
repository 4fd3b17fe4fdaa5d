/// How Capstan waits on a forge that finishes something after it has answered: GitLab
/// computing a new MR's head, Azure DevOps completing a PR, Bitbucket Cloud's merge task.
/// One place owns the pause between reads, how many reads at most, when to stop early (the
/// task cancelled) and the clock, so those loops cannot drift apart and a test can run one
/// with a short step or a clock of its own.
///
/// The forge client has no overall deadline to honour here: each read is bounded by the
/// client's own per-request deadline, and the whole wait by `reads` × (`step` + one read).
struct Polling: Sendable {
    /// The pause before a read that follows an answer saying "not yet".
    var step: Duration
    /// Reads at most, before the caller is told nothing settled.
    var reads: Int
    /// What pauses are measured with; a test may pass one that records them.
    var clock: any Clock<Duration>

    /// Twice a second, as the forges' own clients poll.
    init(step: Duration = .milliseconds(500), reads: Int, clock: any Clock<Duration> = ContinuousClock()) {
        self.step = step
        self.reads = reads
        self.clock = clock
    }

    /// Calls `read` up to `reads` times, `step` apart, and returns the first value it gives
    /// (nil from `read` means "not yet"); nil when none came within the bound or the task was
    /// cancelled (a cancelled task sends no more requests). With `readingAtOnce` the first
    /// read comes before any pause (a task just named by the forge); without it every read
    /// follows a pause (the answer in hand already said "not yet").
    func first<Value>(readingAtOnce: Bool = false,
                      _ read: () async throws(ForgeError) -> Value?) async throws(ForgeError) -> Value? {
        for attempt in 0..<max(0, reads) {
            if attempt > 0 || !readingAtOnce {
                do {
                    try await clock.sleep(for: step)
                } catch {
                    return nil
                }
            }
            if Task.isCancelled { return nil }
            if let value = try await read() { return value }
        }
        return nil
    }
}
