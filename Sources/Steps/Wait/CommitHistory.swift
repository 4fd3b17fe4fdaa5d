import Git
import Reconcilers
import Synchronization

/// Places the revisions reconcilers report against the merge commit, from the release
/// repository's own history. libgit2 handles are not shared between threads, so one lock
/// serialises lookups; answers are cached (a reconciler repeats the same revision each poll).
final class CommitHistory: Sendable {
    private let state: Mutex<(repository: Repository?, cache: [String: CommitRelation])>
    private let target: ObjectID?

    init(repositoryPath: String, target: String) {
        let repository = try? Repository.open(repositoryPath)
        self.target = (try? repository?.resolve(target + "^{commit}")) ?? nil
        state = Mutex((repository, [:]))
    }

    /// `CommitRelating` over this history; commits the repository does not have are unknown.
    var relating: CommitRelating {
        { [self] sha in relation(of: sha) }
    }

    func relation(of sha: String) -> CommitRelation {
        state.withLock { state in
            if let cached = state.cache[sha] { return cached }
            let found = Self.place(sha, against: target, in: state.repository)
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
