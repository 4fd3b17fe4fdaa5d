import Apps

/// The apps a repository deploys, or those a change affects; printable as text and JSON,
/// and as the pull-request comment body.
public struct AppsOutcome: Outcome {
    /// "all" (no change given) or "changed".
    public let mode: String
    public let range: String?
    public let base: String?
    public let head: String?
    public let changedPaths: [String]?
    /// Every app (mode "all").
    public let apps: [LinkedApp]?
    /// The affected apps (mode "changed").
    public let affected: [AffectedApp]?
    public let repositoryURLs: [String]
    public var notifications: [NotifyResult] = []
    /// What `--comment` did on the PR, when asked.
    public var comment: AppsCommentOutcome?
    /// Unified diffs of the changed files tying apps to a commit range, by path.
    public var diffs: [String: String]?
    public var catalogNotes: [String]

    init(catalog: AppCatalog, range: String?, changedPaths: [String]?, affected: [AffectedApp]?, base: String? = nil, head: String? = nil) {
        mode = affected == nil ? "all" : "changed"
        self.range = range
        self.base = base
        self.head = head
        self.changedPaths = changedPaths
        apps = affected == nil ? catalog.apps : nil
        self.affected = affected
        repositoryURLs = catalog.repositoryURLs
        catalogNotes = catalog.notes
    }

    enum CodingKeys: String, CodingKey {
        case mode, range, base, head, changedPaths, apps, affected, repositoryURLs, notifications, comment, diffs
        case catalogNotes = "notes"
    }

    /// The affected apps' markdown table for a pull-request comment.
    public var commentBody: String { PullRequestComment.markdown(affected ?? [], range: range, diffs: diffs ?? [:]) }

    public var text: String {
        var lines: [String] = []
        if let affected {
            for entry in affected {
                lines += Self.describe(entry.app)
                for file in entry.files {
                    lines.append("    changed: \(file.path) (\(file.reasons.map(\.rawValue).joined(separator: ", ")))")
                }
            }
            let count = changedPaths?.count ?? 0
            lines.append("\(affected.count) app\(affected.count == 1 ? "" : "s") affected by \(count) changed path\(count == 1 ? "" : "s")")
        } else if let apps {
            for app in apps {
                lines += Self.describe(app)
            }
            lines.append("\(apps.count) app\(apps.count == 1 ? "" : "s")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public var notes: [String] {
        catalogNotes + notifications.map(\.summary) + (comment.map { [$0.summary] } ?? [])
    }

    private static func describe(_ app: LinkedApp) -> [String] {
        var heading = "\(app.name)  [\(app.kind.displayName)"
        if let set = app.generatedBy { heading += " from ApplicationSet \(set)" }
        heading += "]"
        var place: [String] = []
        if let project = app.project { place.append("project \(project)") }
        if let namespace = app.namespace { place.append("namespace \(namespace)") }
        if let target = app.targetNamespace { place.append("target namespace \(target)") }
        place.append("cluster \(app.cluster ?? "unknown")")
        var lines = [heading, "    " + place.joined(separator: ", "), "    defined in \(app.definedIn)"]
        if !app.sources.isEmpty { lines.append("    sources: " + app.sources.joined(separator: "; ")) }
        if !app.dependsOn.isEmpty { lines.append("    depends on: " + app.dependsOn.joined(separator: ", ")) }
        if let note = app.note { lines.append("    note: \(note)") }
        return lines
    }
}

extension AppsOutcome {
    /// `$GITHUB_OUTPUT` lines: the affected apps (namespace/name, space-separated) and their count.
    public var githubOutputs: [(String, String)] {
        guard let affected else { return [] }
        let names = affected.map { ($0.app.namespace.map { $0 + "/" } ?? "") + $0.app.name }
        return [("affected-apps", names.joined(separator: " ")), ("affected-count", "\(affected.count)")]
    }
}
