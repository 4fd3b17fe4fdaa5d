import Apps
import Forges
import Foundation
import Git
import Reconcilers

/// `capstan wait`: polls every target, one API request per unfinished app per poll, until
/// all have rolled out exactly the merge commit (or a descendant) and are healthy, one has
/// failed, or the timeout runs out. Each app's state change is logged as it happens, and a
/// summary line every `summaryInterval`.
public struct WaitStep: Sendable {
    public let options: WaitOptions
    public let access: ReconcilerAccess
    /// Counts what went out through `access`'s clients (nil: not counted).
    public let counter: CountingTransport?

    public init(options: WaitOptions, access: ReconcilerAccess, counter: CountingTransport? = nil) {
        self.options = options
        self.access = access
        self.counter = counter
    }

    /// Resolves the targets and watches the rollout of the merge.
    public func run(log: @Sendable (String) -> Void = { _ in }) async throws(WaitError) -> WaitOutcome {
        let (targets, merge, urls, skipped) = try resolve()
        log("waiting for \(targets.count) app\(targets.count == 1 ? "" : "s") to roll out \(merge.prefix(7))"
            + (targets.isEmpty ? "" : ": " + targets.map(\.label).joined(separator: ", ")))
        let rollout = try await watch(targets, merge: merge, repositoryURLs: urls, log: log)
        return WaitOutcome(rollout: rollout, revert: nil, skipped: skipped, repositoryURLs: urls)
    }

    /// Polls `targets` until each has rolled out `merge`, one fails, or time runs out.
    public func watch(_ targets: [WaitTarget], merge given: String, repositoryURLs: [String],
                      log: @Sendable (String) -> Void) async throws(WaitError) -> RolloutReport {
        let merge = fullSHA(given)
        let history = CommitHistory(repositoryPath: options.repository, target: merge, fetch: fetchingRemote())
        let keys = Set(repositoryURLs.map { RepositoryURL($0).key })
        var observer = RolloutObserver(
            access: access,
            argoJudge: ArgoRolloutJudge(target: merge, relating: history.relating,
                                        isReleaseRepository: { keys.isEmpty || keys.contains(RepositoryURL($0).key) }),
            fluxJudge: FluxRolloutJudge(target: merge, relating: history.relating),
            defaultFluxNamespace: options.fluxNamespace)
        observer.fluxByCluster = try clusterClients(for: targets)
        observer.sharedNames = Dictionary(grouping: targets.filter { $0.kind != .argoApplication }, by: \.fluxName)
            .mapValues { max(1, Set($0.compactMap(\.cluster)).count) }
        let clock = ContinuousClock()
        let started = clock.now
        let requestsBefore = counter?.requests ?? 0
        var apps = targets.map { RolloutReport.App(target: $0, verdict: AppVerdict(phase: .waiting), seconds: 0, polls: 0) }
        var unrelatedStreak = Array(repeating: 0, count: apps.count)
        // What each app said last, before any hold: a change of state is logged once.
        var lastSeen = apps.map(\.verdict)
        var report = RolloutReport(merge: merge, result: .rolledOut, apps: apps, polls: 0, requests: 0, seconds: 0)
        var lastSummary = started
        let forgeBefore = await access.fluxStatuses?.requestCount ?? 0
        let elapsed = { Double((clock.now - started).components.seconds) + Double((clock.now - started).components.attoseconds) / 1e18 }

        while true {
            let open = apps.indices.filter { apps[$0].verdict.phase == .waiting }
            let firstLook = report.polls == 0
            let statuses = try await fluxStatuses(for: open.map { apps[$0].target }, merge: merge)
            let verdicts = try await Self.observeAll(open.map { apps[$0].target }, observer: observer, firstLook: firstLook,
                                                     statuses: statuses)
            report.polls += 1
            for (slot, verdict) in zip(open, verdicts) {
                var verdict = verdict
                apps[slot].polls += 1
                unrelatedStreak[slot] = verdict.relation == .unrelated && verdict.phase == .waiting ? unrelatedStreak[slot] + 1 : 0
                if unrelatedStreak[slot] >= options.unrelatedPolls {
                    verdict.phase = .failed
                    verdict.messages.append("stays at \(verdict.revision ?? "?"), which is not \(merge.prefix(7)) nor after it, "
                        + "for \(unrelatedStreak[slot]) polls: another branch or revision is pinned")
                }
                if verdict != lastSeen[slot] {
                    lastSeen[slot] = verdict
                    apps[slot].seconds = Int(elapsed())
                    log("\(apps[slot].target.label): \(verdict.summary)"
                        + (verdict.phase == .rolledOut ? "" : verdict.messages.map { "\n    \($0)" }.joined()))
                }
                apps[slot].verdict = verdict
            }
            Self.holdUnpinnedHelmReleases(&apps)
            report.apps = apps
            let forgeRequests = (await access.fluxStatuses?.requestCount ?? 0) - forgeBefore
            report.requests = (counter?.requests ?? requestsBefore) - requestsBefore + forgeRequests
            report.seconds = Int(elapsed())
            if apps.contains(where: { $0.verdict.phase == .failed }) {
                report.result = .failed
                return report
            }
            if apps.allSatisfy({ $0.verdict.phase == .rolledOut }) {
                report.result = .rolledOut
                return report
            }
            if elapsed() + options.pollInterval > options.timeout {
                report.result = .timedOut
                return report
            }
            if Double((clock.now - lastSummary).components.seconds) >= options.summaryInterval {
                lastSummary = clock.now
                let done = apps.filter { $0.verdict.phase == .rolledOut }.count
                let waiting = apps.filter { $0.verdict.phase == .waiting }.map(\.target.label)
                log("after \(Int(elapsed())) s: \(done) of \(apps.count) rolled out; waiting for \(waiting.joined(separator: ", "))")
            }
            try? await Task.sleep(for: .milliseconds(Int(options.pollInterval * 1000)))
        }
    }

    /// The full SHA of `sha`: some forges (Bitbucket) report merge commits abbreviated, and
    /// reconcilers always print them whole. A commit the checkout lacks is fetched first.
    private func fullSHA(_ sha: String) -> String {
        if let full = CommitSHA.full(sha) { return full }
        guard let repository = try? Repository.open(options.repository) else { return sha }
        if let found = try? repository.resolve(sha + "^{commit}") { return found.hex }
        fetchingRemote()?(repository)
        return (try? repository.resolve(sha + "^{commit}"))?.hex ?? sha
    }

    /// Fetches every branch of the release repository's remote into `refs/remotes/origin/`,
    /// for revisions newer than the checkout; failures leave those revisions unknown.
    private func fetchingRemote() -> CommitHistory.Fetch? {
        guard let remote = options.fetchRemote ?? RepositoryURL.remotes(ofWorkTree: options.repository).first else { return nil }
        let url = RemoteURL(remote)
        let credentials = options.fetchCredentials
        let environment = options.environment
        return { repository in
            guard let resolved = try? CredentialResolver.resolve(credentials, for: url, environment: environment) else { return }
            try? repository.fetch(from: url, refspecs: ["+refs/heads/*:refs/remotes/origin/*"], credentials: resolved)
        }
    }

    /// With `--via forge` and Flux apps still waiting: the merge commit's statuses, one request
    /// for all of them. A forge that is busy or unreachable this poll is asked again next poll.
    private func fluxStatuses(for targets: [WaitTarget], merge: String) async throws(WaitError) -> [CommitStatus]? {
        guard let reader = access.fluxStatuses, targets.contains(where: { $0.kind != .argoApplication }) else { return nil }
        do {
            return try await reader.commitStatuses(on: merge)
        } catch {
            if case let .http(status, _, _, _) = error, status < 500, status != 429 {
                throw .pullRequest(.forge(error))
            }
            return []
        }
    }

    /// A HelmRelease whose chart comes from a Helm repository names no commit; it is ready
    /// "at the current generation", which means the merge only once every Kustomization
    /// (which applies its spec from the repository) has rolled the merge out.
    static func holdUnpinnedHelmReleases(_ apps: inout [RolloutReport.App]) {
        let kustomizationsPending = apps.contains { $0.target.kind == .fluxKustomization && $0.verdict.phase != .rolledOut }
        guard kustomizationsPending else { return }
        for index in apps.indices where apps[index].target.kind == .fluxHelmRelease
            && apps[index].verdict.phase == .rolledOut && apps[index].verdict.relation == nil {
            apps[index].verdict.phase = .waiting
        }
    }

    /// One request per target, side by side (at most 8 in flight), in the targets' order.
    static func observeAll(_ targets: [WaitTarget], observer: RolloutObserver, firstLook: Bool,
                           statuses: [CommitStatus]?) async throws(WaitError) -> [AppVerdict] {
        do {
            return try await withThrowingTaskGroup(of: (Int, AppVerdict).self) { group in
                var results = [AppVerdict?](repeating: nil, count: targets.count)
                var next = 0
                func launch() {
                    guard next < targets.count else { return }
                    let index = next
                    let target = targets[index]
                    group.addTask { (index, try await observer.observe(target, firstLook: firstLook, statuses: statuses)) }
                    next += 1
                }
                for _ in 0..<min(8, targets.count) { launch() }
                while let (index, verdict) = try await group.next() {
                    results[index] = verdict
                    launch()
                }
                return results.map { $0 ?? AppVerdict(phase: .waiting) }
            }
        } catch let error as WaitError {
            throw error
        } catch {
            throw .usage("\(error)")
        }
    }
}
