import Foundation
import Forges
import Reconcilers

/// Judges Flux apps from the commit statuses notification-controller posts on the merge
/// commit, for clusters capstan cannot reach. Its git providers (github, gitea, gitlab,
/// bitbucket, bitbucketserver, azuredevops) post one status per object and Provider,
/// skipping `Progressing` events:
/// - the status id `<kind>/<name>/<first group of the Provider UID>`, lower-cased: GitHub's
///   and Gitea's context, GitLab's name, Azure DevOps' context name (genre `fluxcd`);
///   Bitbucket keys by its SHA-1 and names the status `<kind>/<name>` (Cloud) or
///   `<kind>/<name> [<description>]` (Data Center);
/// - the description is the event's reason, split and lower-cased ("reconciliation
///   succeeded", "health check failed", "upgrade succeeded"), never its message;
/// - the state is the event's severity: info is success, error is failure.
/// So a success says only that an info event happened: it counts when its reason says the
/// object is done (`Ready=True`: kustomize-controller's "reconciliation succeeded" after the
/// health checks, helm-controller's install/upgrade/test succeeded). An info event of a
/// rollback or uninstall means the release is not what was merged; any other (such as
/// "dependency not ready") is waited through.
public enum FluxCommitStatusJudge {
    /// Descriptions of success statuses that mean rolled out and ready.
    static let finished: Set<String> = ["reconciliation succeeded", "install succeeded", "upgrade succeeded", "test succeeded"]
    /// Descriptions of success statuses that mean the merged release was taken back.
    static let remediated: Set<String> = ["rollback succeeded", "uninstall succeeded"]

    public static func judge(_ target: WaitTarget, statuses: [CommitStatus]) -> AppVerdict {
        let own = statuses.filter { isOwn($0, target) }
        guard !own.isEmpty else {
            return AppVerdict(phase: .waiting, messages: ["no commit status from Flux on the merge commit yet"])
        }
        let shown = own.map { "\($0.state.rawValue) (\($0.context): \($0.description))" }.joined(separator: ", ")
        if let failed = own.first(where: { [.failure, .error].contains($0.state) || remediated.contains(words($0)) }) {
            return AppVerdict(phase: .failed, relation: .target, ready: shown, messages: [failed.description])
        }
        if own.allSatisfy({ $0.state == .success && finished.contains(words($0)) }) {
            return AppVerdict(phase: .rolledOut, relation: .target, ready: shown)
        }
        return AppVerdict(phase: .waiting, relation: .target, ready: shown, messages: own.map(\.description))
    }

    /// Whether `status` is notification-controller's about `target`: its id or name starts
    /// with `<kind>/<name>`, followed by nothing, `/` (the Provider part) or ` [` (Bitbucket
    /// Data Center); on Azure DevOps its genre is `fluxcd` (or `fluxcd:<summary>`).
    static func isOwn(_ status: CommitStatus, _ target: WaitTarget) -> Bool {
        if let genre = status.genre, genre != "fluxcd", !genre.hasPrefix("fluxcd:") { return false }
        let kind = target.kind == .fluxHelmRelease ? "helmrelease" : "kustomization"
        let prefix = "\(kind)/\(target.name)".lowercased()
        let context = status.context.lowercased()
        return context == prefix || context.hasPrefix(prefix + "/") || context.hasPrefix(prefix + " [")
    }

    private static func words(_ status: CommitStatus) -> String {
        status.description.lowercased().trimmingCharacters(in: .whitespaces)
    }
}
