import Forges
import Reconcilers

/// Judges Flux apps from the commit statuses notification-controller posts on the merge
/// commit (a Provider of type github, gitea, gitlab …), for clusters capstan cannot reach.
/// Each status is named `<kind>/<name>/<provider hash>` and carries the controller event's
/// message. A success posted when the manifests were applied comes before the health
/// check, so only a message that says the reconciliation (or the Helm release) finished
/// counts as rolled out; a failure is a failure; anything else is waiting.
public enum FluxCommitStatusJudge {
    static let finishedPhrases = ["Reconciliation finished", "Health check passed", "install succeeded", "upgrade succeeded"]

    public static func judge(_ target: WaitTarget, statuses: [CommitStatus]) -> AppVerdict {
        let kind = target.kind == .fluxHelmRelease ? "helmrelease" : "kustomization"
        let prefix = "\(kind)/\(target.name)".lowercased()
        let own = statuses.filter { status in
            let context = status.context.lowercased()
            return context == prefix || context.hasPrefix(prefix + "/")
        }
        guard !own.isEmpty else {
            return AppVerdict(phase: .waiting, messages: ["no commit status from Flux on the merge commit yet"])
        }
        if let failed = own.first(where: { $0.state == .failure || $0.state == .error }) {
            return AppVerdict(phase: .failed, relation: .target, ready: "False (\(failed.context))", messages: [failed.description])
        }
        let finished = own.contains { status in
            status.state == .success && finishedPhrases.contains { status.description.localizedCaseInsensitiveContains($0) }
        }
        let shown = own.map { "\($0.state.rawValue) (\($0.context))" }.joined(separator: ", ")
        if finished {
            return AppVerdict(phase: .rolledOut, relation: .target, ready: shown)
        }
        return AppVerdict(phase: .waiting, relation: .target, ready: shown, messages: own.map(\.description))
    }
}
