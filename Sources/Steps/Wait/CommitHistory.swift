import Git
import Reconcilers
import Synchronization

/// Places the revisions reconcilers report against the merge commit, from the release
/// repository's own history. libgit2 handles are not shared between threads, so one lock
/// serialises lookups; answers are cached (a reconciler repeats the same revision each poll).
///
/// A commit the checkout does not have yet (someone merged after us, and the reconciler
/// already deployed it) is fetched from the remote once, so a healthy later release is not
/// mistaken for "never rolled out".
final class CommitHistory: Sendable {
    /// Brings the remote's branches into the repository; nil when there is nothing to fetch from.
    typealias Fetch = @Sendable (Repository) -> Void

    private let state: Mutex<(repository: Repository?, cache: [String: CommitRelation])>
    private let target: ObjectID?
    private let fetch: Fetch?

    init(repositoryPath: String, target: String, fetch: Fetch? = nil) {
        let repository = try? Repository.open(repositoryPath)
        self.target = (try? repository?.resolve(target + "^{commit}")) ?? nil
        self.fetch = fetch
        state = Mutex((repository, [:]))
    }

    /// `CommitRelating` over this history; commits the repository does not have are unknown.
    var relating: CommitRelating {
        { [self] sha in relation(of: sha) }
    }

    func relation(of sha: String) -> CommitRelation {
        state.withLock { state in
            if let cached = state.cache[sha] { return cached }
            var found = Self.place(sha, against: target, in: state.repository)
            if found == .unknown, CommitSHA.full(sha) != nil, let fetch, let repository = state.repository {
                // Once per new unknown commit: a fetch brings every branch tip at that moment.
                fetch(repository)
                found = Self.place(sha, against: target, in: repository)
            }
            state.cache[sha] = found
            return found
        }
    }

    private static func place(_ sha: String, against target: ObjectID?, in repository: Repository?) -> CommitRelation {
        guard let repository, let target, sha.count >= 7, sha.allSatisfy(\.isHexDigit),
              let commit = try? repository.resolve(sha + "^{commit}") else { return .unknown }
        if commit == target { return .target }
        if (try? repository.isDescendant(commit, of: target)) == true { return .descendant }
        if (try? repository.isDescendant(target, of: commit)) == true { return .ancestor }
        return .unrelated
    }
}
