import Apps
import Git
import Reconcilers

extension WaitStep {
    /// The targets and the merge commit (full SHA), from the change or the names given.
    public func resolve() throws(WaitError) -> (targets: [WaitTarget], merge: String, repositoryURLs: [String], skipped: [String]) {
        var targets: [WaitTarget] = []
        var skipped: [String] = []
        let merge: String
        let repositoryURLs: [String]
        switch options.selection {
        case let .changed(range):
            let outcome: AppsOutcome
            do {
                outcome = try AppsStep(options: AppsOptions(repository: options.repository, change: .range(range),
                                                            repositoryURL: options.repositoryURL)).run()
            } catch {
                throw .apps(error)
            }
            guard let head = outcome.head else { throw .usage("--changed wants BASE..MERGE") }
            merge = head
            repositoryURLs = outcome.repositoryURLs
            for affected in outcome.affected ?? [] where options.cluster == nil || affected.app.cluster == options.cluster {
                let (found, reason) = WaitTarget.from(affected.app)
                targets += found.filter { !targets.contains($0) }
                if let reason { skipped.append(reason) }
            }
        case let .apps(names, sha):
            // An abbreviation is resolved in the release repository's history.
            guard let full = CommitSHA.full(sha) ?? (try? Repository.open(options.repository).resolve(sha + "^{commit}").hex) else {
                throw .usage("--merge \(sha): not a commit of the repository at \(options.repository)")
            }
            merge = full
            let catalog: AppCatalog
            do {
                catalog = try AppCatalog.discover(root: options.repository, repositoryURL: options.repositoryURL)
            } catch {
                throw .apps(.apps(error))
            }
            repositoryURLs = catalog.repositoryURLs
            for name in names {
                if let explicit = WaitTarget.parse(name) {
                    targets.append(explicit)
                    continue
                }
                let found = catalog.apps.filter { $0.name == name && (options.cluster == nil || $0.cluster == options.cluster) }
                    .flatMap { WaitTarget.from($0).0 }
                guard !found.isEmpty else { throw .usage("--app \(name): no such app in the repository (or give kind/namespace/name)") }
                targets += found.filter { !targets.contains($0) }
            }
        }
        let names = Dictionary(grouping: targets) { "\($0.kind.rawValue) \($0.namespace ?? "")/\($0.name)" }
        for index in targets.indices {
            let same = names["\(targets[index].kind.rawValue) \(targets[index].namespace ?? "")/\(targets[index].name)"] ?? []
            targets[index].onSeveralClusters = Set(same.map(\.cluster)).count > 1
        }
        return (targets, merge, repositoryURLs, skipped)
    }
}
