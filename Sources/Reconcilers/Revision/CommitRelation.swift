/// How a revision a reconciler reports stands to the merge commit being waited for.
public enum CommitRelation: String, Sendable, Encodable {
    /// The merge commit itself.
    case target
    /// A later commit that contains it (someone merged after us): rolled out too.
    case descendant
    /// An earlier commit: the reconciler has not seen the merge yet.
    case ancestor
    /// Neither: another branch or a rewritten history; if it sticks, the merge never lands.
    case unrelated
    /// Not a commit Capstan can place (not in the local repository, or not a SHA).
    case unknown

    /// Whether a reconciler at this revision has the merge.
    public var includesTarget: Bool { self == .target || self == .descendant }
}

/// Places a commit SHA relative to the merge commit; the Steps layer answers from the
/// release repository's history, tests from a table.
public typealias CommitRelating = @Sendable (_ sha: String) -> CommitRelation

/// Commit SHAs as reconcilers print them.
public enum CommitSHA {
    /// A full SHA-1 (40) or SHA-256 (64) in hex, lower-cased; nil for anything else.
    public static func full(_ text: some StringProtocol) -> String? {
        guard text.count == 40 || text.count == 64, text.allSatisfy(\.isHexDigit) else { return nil }
        return text.lowercased()
    }

    /// Whether `short` (at least 7 hex digits) abbreviates `sha`.
    public static func abbreviates(_ short: some StringProtocol, _ sha: String) -> Bool {
        short.count >= 7 && short.allSatisfy(\.isHexDigit) && sha.hasPrefix(short.lowercased())
    }
}
