import YAML

/// One requested edit.
public enum Edit: Sendable, Hashable {
    case image(ImageUpdate)
    case chart(ChartUpdate)
    case value(ValueUpdate)
}

/// Edits to apply together: image and chart edits search `paths` (files or directories,
/// tree-relative); value edits name their file.
public struct EditPlan: Sendable, Hashable {
    public var edits: [Edit]
    public var paths: [String]

    public init(edits: [Edit], paths: [String] = ["."]) {
        self.edits = edits
        self.paths = paths.isEmpty ? ["."] : paths
    }
}

/// One file an edit plan changes.
public struct FileChange: Sendable, Hashable {
    public let path: String
    public let original: [UInt8]
    public let edited: [UInt8]

    public var diff: String { UnifiedDiff.make(from: original, to: edited, path: path) }
}

/// What applying a plan changes. Planning writes nothing; `TreeEditor.write` does.
public struct EditResult: Sendable, Hashable {
    public let files: [FileChange]
    public let changes: [Change]
    public let warnings: [EditWarning]
    /// Files read and files parsed, for logs and benchmarks.
    public let filesScanned: Int
    public let filesParsed: Int

    public var isEmpty: Bool { files.isEmpty }
    public var diff: String { files.map(\.diff).joined() }
}

/// Applies edit plans to a working tree: every file is parsed once, every rule's splices
/// are applied together and checked by re-parsing, and only then is anything written.
public struct TreeEditor: Sendable {
    public let tree: any EditableTree
    public var limits: YAMLLimits
    /// Needed to refresh Chart.lock digests; without it a stale lock is only reported.
    public var sha256: SHA256Hex?

    public init(tree: any EditableTree, limits: YAMLLimits = .default, sha256: SHA256Hex? = nil) {
        self.tree = tree
        self.limits = limits
        self.sha256 = sha256
    }

    static func isCandidate(_ name: String) -> Bool {
        name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json")
            || name == "Chart.lock" || name == "Kustomization"
    }

    /// Computes the result of `plan` without writing.
    public func plan(_ plan: EditPlan) throws(EditError) -> EditResult {
        let images = plan.edits.compactMap { if case let .image(update) = $0 { update } else { nil } }
        let charts = plan.edits.compactMap { if case let .chart(update) = $0 { update } else { nil } }
        let values = plan.edits.compactMap { if case let .value(update) = $0 { update } else { nil } }

        var candidates: [String: [UInt8]] = [:]
        var searched: Set<String> = []
        var scanned = 0
        var policySources: [String] = []
        if !images.isEmpty || !charts.isEmpty {
            let needles = images.flatMap { ImageEditor(update: $0, policies: ImagePolicyIndex()).needles }
                + charts.flatMap { ChartEditor(update: $0).needles }
            var chartDirectories: [String: Bool] = [:]
            for path in try tree.files(under: plan.paths, include: Self.isCandidate) {
                if isHelmTemplate(path, cache: &chartDirectories) { continue }
                let bytes = try tree.read(path, limit: limits.maxBytes)
                scanned += 1
                if needles.contains(where: bytes.containsSubsequence) {
                    candidates[path] = bytes
                    searched.insert(path)
                }
                if !images.isEmpty, bytes.containsSubsequence("image.toolkit.fluxcd.io") { policySources.append(path) }
            }
        }
        var valueFiles: [String: [ValueUpdate]] = [:]
        for update in values {
            let relative = try tree.relativePath(update.file)
            valueFiles[relative, default: []].append(update)
            if candidates[relative] == nil {
                candidates[relative] = try tree.read(relative, limit: limits.maxBytes)
                scanned += searched.contains(relative) ? 0 : 1
            }
        }

        var parsed: [String: YAMLFile] = [:]
        var warnings: [EditWarning] = []
        func parse(_ path: String, _ bytes: [UInt8]) throws(EditError) -> YAMLFile? {
            if let file = parsed[path] { return file }
            do {
                let file = try YAMLFile.parse(bytes, path: path, limits: limits)
                parsed[path] = file
                return file
            } catch {
                // A Helm or other Go template under a searched directory is not YAML; say so and go on.
                if valueFiles[path] == nil, bytes.containsSubsequence("{{") {
                    warnings.append(EditWarning(file: path, line: nil, message: "skipped: a template, not YAML (\(error))"))
                    return nil
                }
                throw .yaml(error)
            }
        }

        var policies = ImagePolicyIndex()
        if !images.isEmpty, candidates.values.contains(where: { $0.containsSubsequence(ImageMarker.keyword) }) {
            var sources: [YAMLFileRef] = []
            for path in policySources {
                let bytes: [UInt8]
                if let known = candidates[path] { bytes = known } else { bytes = try tree.read(path, limit: limits.maxBytes) }
                if let file = try parse(path, bytes) { sources.append(YAMLFileRef(path: path, file: file)) }
            }
            policies = ImagePolicyIndex(files: sources)
        }

        var files: [FileChange] = []
        var changes: [Change] = []
        var found: Set<String> = []
        for path in candidates.keys.sorted() {
            guard let bytes = candidates[path], let file = try parse(path, bytes) else { continue }
            var edits = FileEdits(file: file, relativePath: path)
            let basename = String(path.split(separator: "/").last ?? Substring(path))
            if searched.contains(path) {
                for update in images { try ImageEditor(update: update, policies: policies).edit(&edits, basename: basename) }
                for update in charts { try ChartEditor(update: update).edit(&edits, basename: basename) }
            }
            for update in valueFiles[path] ?? [] { try ValueEditor(update: update).edit(&edits) }
            warnings += edits.warnings
            found.formUnion(edits.found)
            guard !edits.splices.isEmpty else { continue }
            let edited: [UInt8]
            do { edited = try file.applying(edits.splices) } catch { throw .yaml(error) }
            if edited != bytes {
                files.append(FileChange(path: path, original: bytes, edited: edited))
                changes += edits.changes.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
            }
        }
        let lostImages = images.map(\.image.normalizedName).filter { !found.contains($0) }
        let lostCharts = charts.map(\.name).filter { !found.contains($0) }
        if !lostImages.isEmpty || !lostCharts.isEmpty {
            throw .noReference(images: lostImages, charts: lostCharts, paths: plan.paths, filesSearched: scanned)
        }
        if !charts.isEmpty || values.contains(where: { $0.file.hasSuffix("Chart.yaml") }) {
            warnings += try ChartLockRefresh.refresh(&files, changes: &changes, tree: tree, sha256: sha256, limits: limits)
        }
        // Refused now, before anything is written, rather than half way through writing.
        for file in files { try tree.checkWritable(file.path) }
        return EditResult(files: files, changes: changes, warnings: warnings, filesScanned: scanned, filesParsed: parsed.count)
    }

    /// Whether `path` lies in a Helm chart's `templates/` folder (Go templates, not YAML).
    private func isHelmTemplate(_ path: String, cache: inout [String: Bool]) -> Bool {
        let components = path.split(separator: "/")
        guard let index = components.lastIndex(of: "templates") else { return false }
        let chart = components[..<index].joined(separator: "/")
        if let known = cache[chart] { return known }
        let isChart = (try? tree.read(chart.isEmpty ? "Chart.yaml" : chart + "/Chart.yaml")) != nil
        cache[chart] = isChart
        return isChart
    }

    /// Writes every changed file (each atomically) into a tree on disk; a commit's tree is
    /// written by making new objects instead (see `Steps`).
    public func write(_ result: EditResult) throws(EditError) {
        guard let disk = tree as? FileTree else {
            throw .io(".", reason: "this tree is a commit's; its changes are written as new objects, not files")
        }
        for file in result.files { try disk.write(file.path, file.edited) }
    }
}

extension Edit: CustomStringConvertible {
    /// The edit as `capstan set` would be asked for it; used in commit trailers so a
    /// reviewer can see, and replay, exactly what was requested.
    public var description: String {
        switch self {
        case let .image(update):
            "image \(update)"
        case let .chart(update):
            "chart \(update.name) \(update.version)" + (update.ownChartYAML ? " --chart-yaml" : "")
                + (update.appVersion.map { " --app-version \($0)" } ?? "")
        case let .value(update):
            "value \(update.file) \(update.path.text)=\(update.value)" + (update.intent == .keepType ? "" : " --type \(update.intent.rawValue)")
        }
    }
}
