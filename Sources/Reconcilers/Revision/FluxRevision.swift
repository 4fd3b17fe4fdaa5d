/// A source revision as Flux reports it, reduced to the Git commit it names.
///
/// - `main@sha1:<sha>` (Flux ≥ 2.0, fluxcd/pkg's `Commit.String`; `sha1:<sha>` without a
///   reference), also the origin revision of an ExternalArtifact built from a
///   GitRepository (Flux 2.7 ArtifactGenerator) or of an OCI artifact pushed with one;
/// - `main/<sha>` and a bare `<sha>` (Flux < 2.0);
/// - a Helm chart version built from a GitRepository with reconcileStrategy Revision:
///   `1.2.3+<first 12 digits>` (helm-controller's lastAttemptedRevision, history chartVersion).
///
/// `<tag>@sha256:<digest>` and `sha256:<digest>` are content digests of OCI artifacts,
/// ExternalArtifacts and Buckets (Flux names Git commits only `sha1:`): no commit.
public struct FluxRevision: Sendable, Equatable {
    /// The branch or tag part, when there is one.
    public let reference: String?
    /// The full commit SHA, or (for chart versions) the abbreviation given.
    public let commit: String
    /// `commit` is an abbreviation that must be matched by prefix.
    public let isAbbreviated: Bool

    public init?(_ text: String) {
        if text.contains("sha256:") { return nil }
        if let at = text.range(of: "@sha1:") {
            guard let sha = Self.sha1(text[at.upperBound...]) else { return nil }
            reference = String(text[..<at.lowerBound])
            commit = sha
            isAbbreviated = false
        } else if text.hasPrefix("sha1:"), let sha = Self.sha1(text.dropFirst(5)) {
            reference = nil
            commit = sha
            isAbbreviated = false
        } else if let slash = text.lastIndex(of: "/"), let sha = Self.sha1(text[text.index(after: slash)...]) {
            reference = String(text[..<slash])
            commit = sha
            isAbbreviated = false
        } else if let sha = Self.sha1(text) {
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

    /// A full SHA-1 in hex, lower-cased: the only commit hash Flux prints.
    private static func sha1(_ text: some StringProtocol) -> String? {
        text.count == 40 ? CommitSHA.full(text) : nil
    }

    /// How this revision stands to the merge commit (an abbreviation matches it by prefix;
    /// `relating` places other commits, abbreviated or not, from the repository's history).
    public func relation(to target: String, relating: CommitRelating) -> CommitRelation {
        if isAbbreviated ? CommitSHA.abbreviates(commit, target) : commit == target.lowercased() { return .target }
        return relating(commit)
    }
}
