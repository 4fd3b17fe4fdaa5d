import Edits
import Signatures

/// `capstan set`: apply an edit plan to a working tree, print the diff, write unless it
/// is a dry run. Exits cleanly whether or not anything changed.
public struct SetStep: Sendable {
    public let tree: FileTree
    public let plan: EditPlan
    public let dryRun: Bool

    public init(root: String, plan: EditPlan, dryRun: Bool) throws(EditError) {
        self.tree = try FileTree(root: root)
        self.plan = plan
        self.dryRun = dryRun
    }

    public func run() throws(EditError) -> SetOutcome {
        let editor = TreeEditor(tree: tree, sha256: { Digest.sha256Hex($0) })
        let result = try editor.plan(plan)
        if !dryRun { try editor.write(result) }
        return SetOutcome(result: result, dryRun: dryRun)
    }
}

/// What `capstan set` did.
public struct SetOutcome: Outcome {
    public let changed: Bool
    public let dryRun: Bool
    public let files: [String]
    public let changes: [Change]
    public let warnings: [EditWarning]
    public let diff: String

    init(result: EditResult, dryRun: Bool) {
        changed = !result.isEmpty
        self.dryRun = dryRun
        files = result.files.map(\.path)
        changes = result.changes
        warnings = result.warnings
        diff = result.diff
    }

    public var text: String { diff }

    public var notes: [String] {
        var lines = warnings.map { "warning: \($0)" }
        if !changed {
            lines.append("nothing to change")
            return lines
        }
        for change in changes {
            let from = change.from.map { "\($0) → " } ?? "(new) "
            lines.append("\(change.file):\(change.line):\(change.column): \(change.field): \(from)\(change.to)")
        }
        let verb = dryRun ? "would change" : "changed"
        lines.append("\(verb) \(changes.count) value\(changes.count == 1 ? "" : "s") in \(files.count) file\(files.count == 1 ? "" : "s")")
        return lines
    }
}
