/// An app whose desired state a change alters, with the changed files that tie it to
/// the change and why each does.
public struct AffectedApp: Sendable, Encodable {
    public struct File: Sendable, Encodable, Hashable {
        public let path: String
        public let reasons: [TieReason]
    }

    public let app: LinkedApp
    public let files: [File]
}

/// Which apps a set of changed paths alters.
public enum ChangeImpact {
    /// The affected apps, in catalog order; paths are repository-relative (renames give both).
    public static func affected(by changedPaths: [String], in catalog: AppCatalog) -> [AffectedApp] {
        let paths = Array(Set(changedPaths.map(normalise))).sorted()
        var affected: [AffectedApp] = []
        for app in catalog.apps {
            var files: [AffectedApp.File] = []
            for path in paths {
                let reasons = app.reasons(for: path)
                if !reasons.isEmpty { files.append(AffectedApp.File(path: path, reasons: reasons)) }
            }
            if !files.isEmpty { affected.append(AffectedApp(app: app, files: files)) }
        }
        return affected
    }

    private static func normalise(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        return path
    }
}
