import Forges

/// The checks on a commit as `capstan pr status` reads them: each with the forge's own
/// word, and the summary `pr merge` would act on.
public struct ChecksOutcome: Outcome {
    public let number: Int?
    public let sha: String
    /// none, pending, success or failure.
    public let checks: CheckState
    public let items: [Check]
    public let apiCalls: Int

    /// One check a line: state, name, the forge's word.
    public var text: String {
        items.map { "\($0.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \($0.name) (\($0.detail))\n" }.joined()
    }

    public var notes: [String] {
        ["checks \(checks.rawValue) on \(sha.prefix(7))" + (number.map { " (PR #\($0))" } ?? "")
            + ": \(items.count) check\(items.count == 1 ? "" : "s"); \(apiCalls) API call\(apiCalls == 1 ? "" : "s")"]
    }
}
