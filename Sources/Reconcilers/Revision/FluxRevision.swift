/// A source revision as Flux reports it, reduced to the Git commit it names.
///
/// - `main@sha1:<sha>` (Flux ≥ 2.0; `sha256:` for SHA-256 repositories), also the origin
///   revision of an ExternalArtifact built from a GitRepository (Flux 2.7 ArtifactGenerator),
///   whose own revision is `latest@sha256:<content digest>`;
/// - `main/<sha>` and a bare `<sha>` (Flux < 2.0);
/// - a Helm chart version built from a GitRepository with reconcileStrategy Revision:
///   `1.2.3+<first 12 digits>` (helm-controller's lastAttemptedRevision, history chartVersion).
public struct FluxRevision: Sendable, Equatable {
    /// The branch or tag part, when there is one.
    public let reference: String?
    /// The full commit SHA, or (for chart versions) the abbreviation given.
    public let commit: String
    /// `commit` is an abbreviation that must be matched by prefix.
    public let isAbbreviated: Bool

    public init?(_ text: String) {
        if let at = text.range(of: "@sha1:") ?? text.range(of: "@sha256:") {
            guard let sha = CommitSHA.full(text[at.upperBound...]) else { return nil }
            reference = String(text[..<at.lowerBound])
            commit = sha
            isAbbreviated = false
        } else if text.hasPrefix("sha1:"), let sha = CommitSHA.full(text.dropFirst(5)) {
            reference = nil
            commit = sha
            isAbbreviated = false
        } else if let slash = text.lastIndex(of: "/"), let sha = CommitSHA.full(text[text.index(after: slash)...]) {
            reference = String(text[..<slash])
            commit = sha
            isAbbreviated = false
        } else if let sha = CommitSHA.full(text) {
            reference = nil
            commit = sha
            isAbbreviated = false
        } else if let plus = text.lastIndex(of: "+") {
            // SemVer build metadata: helm-controller appends the source's short SHA.
            let metadata = text[text.index(after: plus)...]
            guard metadata.count >= 7, metadata.count < 40, metadata.allSatisfy(\.isHexDigit) else { return nil }
            reference = nil
            commit = metadata.lowercased()
            isAbbreviated = true
        } else {
            return nil
        }
    }

    /// How this revision stands to the merge commit (an abbreviation matches it by prefix;
    /// `relating` places other commits, abbreviated or not, from the repository's history).
    public func relation(to target: String, relating: CommitRelating) -> CommitRelation {
        if isAbbreviated ? CommitSHA.abbreviates(commit, target) : commit == target.lowercased() { return .target }
        return relating(commit)
    }
}
