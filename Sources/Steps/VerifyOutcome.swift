import Foundation
import Signatures

/// What `capstan verify` found: one verdict per object the mode covers.
public struct VerifyOutcome: Outcome {
    public struct Entry: Sendable, Encodable {
        /// "commit" or "tag".
        public let kind: String
        public let id: String
        public let summary: String
        public let committer: String?
        public let verdict: Verdict
    }

    public let mode: String
    public let entries: [Entry]
    /// True only when every covered object has a good signature.
    public let verified: Bool
    /// Warnings about what was covered (skipped keys, no seal found).
    public let warnings: [String]

    init(mode: String, entries: [Entry], notes: [String]) {
        self.mode = mode
        self.entries = entries
        self.verified = !entries.isEmpty && entries.allSatisfy(\.verdict.isGood)
        self.warnings = notes + (entries.isEmpty ? ["no commits in range: nothing is verified"] : [])
    }

    public var text: String {
        entries.map { entry in
            let name = entry.verdict.status.rawValue
            let status = name + String(repeating: " ", count: max(0, 11 - name.count))
            let signer = entry.verdict.signer.map { " \($0)" } ?? ""
            return "\(status) \(entry.kind) \(entry.id.prefix(12))\(signer)  \(entry.summary) — \(entry.verdict.reason)\n"
        }.joined()
    }

    public var notes: [String] { warnings.map { "warning: \($0)" } + [summaryLine] }

    public var summaryLine: String {
        let good = entries.filter(\.verdict.isGood).count
        return verified ? "verified: all \(entries.count) signature\(entries.count == 1 ? "" : "s") good"
            : "NOT verified: \(entries.count - good) of \(entries.count) not good"
    }
}
