/// The body of the pull-request comment listing the apps a change affects. The first
/// line is a hidden marker so the forge layer can find and update its own comment
/// instead of adding another.
public enum PullRequestComment {
    public static let marker = "<!-- capstan:apps -->"

    /// Room left for diffs under GitHub's 65,536-character comment limit.
    static let diffBudget = 60_000
    static let diffLineLimit = 150

    /// The comment: a table of affected apps, then (when given) each tying file's diff,
    /// folded, once per file with the apps it touches.
    public static func markdown(_ affected: [AffectedApp], range: String?, diffs: [String: String] = [:]) -> String {
        var lines = [marker, "### Apps this change affects" + (range.map { " (`\($0)`)" } ?? ""), ""]
        guard !affected.isEmpty else {
            lines.append("No deployed app's desired state changes.")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("| App | Reconciler | Cluster | Namespace / project | Files |")
        lines.append("| --- | --- | --- | --- | --- |")
        for entry in affected {
            let app = entry.app
            let place = [app.targetNamespace ?? app.namespace, app.project.map { "project \($0)" }].compactMap { $0 }.joined(separator: ", ")
            let files = entry.files.map { "`\($0.path)` (\($0.reasons.map(\.rawValue).joined(separator: ", ")))" }.joined(separator: "<br>")
            lines.append("| \(cell(app.name)) | \(app.kind.displayName) | \(cell(app.cluster ?? "—")) | \(cell(place.isEmpty ? "—" : place)) | \(files) |")
        }
        lines.append("")
        lines.append("\(affected.count) app\(affected.count == 1 ? "" : "s") affected.")
        lines += diffSections(affected, diffs: diffs)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func diffSections(_ affected: [AffectedApp], diffs: [String: String]) -> [String] {
        var appsByPath: [String: [String]] = [:]
        for entry in affected {
            for file in entry.files where diffs[file.path] != nil && appsByPath[file.path]?.contains(entry.app.name) != true {
                appsByPath[file.path, default: []].append(entry.app.name)
            }
        }
        var lines: [String] = []
        var used = 0
        for path in appsByPath.keys.sorted() {
            guard let diff = diffs[path], !diff.isEmpty else { continue }
            var body = diff.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if body.last == "" { body.removeLast() }
            if body.count > diffLineLimit { body = Array(body.prefix(diffLineLimit)) + ["… (\(body.count - diffLineLimit) more lines)"] }
            let section = ["", "<details><summary><code>\(path)</code> — \(appsByPath[path]!.joined(separator: ", "))</summary>", "",
                           "```diff"] + body + ["```", "</details>"]
            let size = section.reduce(0) { $0 + $1.count + 1 }
            if used + size > diffBudget {
                lines += ["", "(further diffs left out: the comment would be too long)"]
                break
            }
            used += size
            lines += section
        }
        return lines
    }

    /// Escapes the characters that would break a table cell.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
