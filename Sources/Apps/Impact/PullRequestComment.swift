/// The body of the pull-request comment listing the apps a change affects. The first
/// line is a hidden marker so the forge layer can find and update its own comment
/// instead of adding another.
public enum PullRequestComment {
    public static let marker = "<!-- capstan:apps -->"

    public static func markdown(_ affected: [AffectedApp], range: String?) -> String {
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
        return lines.joined(separator: "\n") + "\n"
    }

    /// Escapes the characters that would break a table cell.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
