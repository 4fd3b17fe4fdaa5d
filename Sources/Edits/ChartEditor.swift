import YAML

/// What `set chart NAME VERSION` asks for.
public struct ChartUpdate: Sendable, Hashable {
    public let name: String
    public let version: String
    /// Also set the chart's own `version` in its Chart.yaml.
    public let ownChartYAML: Bool
    /// Also set the chart's own `appVersion` in its Chart.yaml.
    public let appVersion: String?

    public init(name: String, version: String, ownChartYAML: Bool = false, appVersion: String? = nil) throws(EditError) {
        guard !name.isEmpty, !name.contains(" ") else { throw .invalidChartVersion(name, reason: "chart name is empty or has blanks") }
        guard !version.isEmpty, version.allSatisfy({ !$0.isWhitespace }) else {
            throw .invalidChartVersion(version, reason: "a version has no blanks")
        }
        self.name = name
        self.version = version
        self.ownChartYAML = ownChartYAML
        self.appVersion = appVersion
    }

    func names(_ chart: String) -> Bool {
        chart == name || chart.hasSuffix("/" + name)
    }
}

/// Sets a Helm chart's version wherever a release repo pins it: Flux HelmRelease
/// `spec.chart.spec.version` (and HelmChart `spec.version`), Argo CD Application and
/// ApplicationSet Helm sources (`chart` + `targetRevision`, single and multi-source, and
/// Argo CD 3.1+ native OCI sources: `repoURL: oci://…/NAME` + `targetRevision`),
/// Flux OCIRepository `spec.ref.tag`, Chart.yaml `dependencies[]` and Chart.lock entries.
struct ChartEditor {
    let update: ChartUpdate

    var needles: [String] { [update.name] }

    func edit(_ edits: inout FileEdits, basename: String) throws(EditError) {
        for document in edits.file.documents {
            let root = document.root.resolved
            if basename == "Chart.yaml" {
                try chartYAML(root, &edits)
                continue
            }
            if basename == "Chart.lock" {
                for dependency in root["dependencies"]?.resolved.items.map(\.resolved) ?? [] where dependency["name"]?.resolved.string == update.name {
                    try edits.set(key: "version", of: dependency, to: update.version, kind: .chart, subject: update.name)
                }
                continue
            }
            let kind = root["kind"]?.resolved.string
            let spec = root["spec"]?.resolved
            if kind == "HelmRelease", let chartSpec = spec?["chart"]?.resolved["spec"]?.resolved,
               let chart = chartSpec["chart"]?.resolved.string, update.names(chart) {
                if let version = chartSpec["version"] {
                    try edits.set(version, to: update.version, kind: .chart, subject: update.name)
                } else {
                    edits.warn("HelmRelease \(root["metadata"]?.resolved["name"]?.resolved.string ?? "") has no version (it follows the newest chart); left alone", at: chartSpec, subject: update.name)
                }
            }
            if kind == "OCIRepository", let url = spec?["url"]?.resolved.string, url.hasSuffix("/" + update.name) {
                if let ref = spec?["ref"]?.resolved, let tag = ref["tag"] {
                    try edits.set(tag, to: update.version, kind: .chart, subject: update.name)
                } else {
                    edits.warn("OCIRepository for \(update.name) follows a semver range or digest; left alone", at: root, subject: update.name)
                }
            }
            try walkSources(root, &edits)
        }
    }

    /// Any mapping with `chart: NAME` next to `targetRevision` (Argo CD sources, wherever
    /// they sit: Application, ApplicationSet template, multi-source lists) or, in a
    /// HelmChart, next to `version`.
    private func walkSources(_ root: Node, _ edits: inout FileEdits) throws(EditError) {
        var pending = [root]
        while let node = pending.popLast() {
            if node.isMapping {
                if let chart = node["chart"]?.resolved.string, update.names(chart) {
                    if let revision = node["targetRevision"]?.resolved {
                        if revision.string?.contains("{{") == true {
                            edits.warn("targetRevision of chart \(update.name) is templated; left alone", at: revision)
                        } else {
                            try edits.set(revision, to: update.version, kind: .chart, subject: update.name)
                        }
                    } else if node.keyInParent?.string == "spec", node.parent?["kind"]?.resolved.string == "HelmChart" {
                        try edits.set(key: "version", of: node, to: update.version, kind: .chart, subject: update.name)
                    }
                } else if node["chart"] == nil, let url = node["repoURL"]?.resolved.string, let chart = Self.ociChart(url), update.names(chart) {
                    try setOCISource(node, &edits)
                }
                for (_, value) in node.entries where value.kind != .alias { pending.append(value) }
            } else if node.isSequence {
                pending.append(contentsOf: node.items.filter { $0.kind != .alias })
            }
        }
    }

    /// Argo CD 3.1+ native OCI source: `repoURL: oci://registry/repo/chart` (no `chart`
    /// key; `path: .` for a Helm chart), the chart's version in `targetRevision`.
    private func setOCISource(_ node: Node, _ edits: inout FileEdits) throws(EditError) {
        guard let revision = node["targetRevision"]?.resolved else {
            edits.warn("OCI source of chart \(update.name) has no targetRevision; left alone", at: node, subject: update.name)
            return
        }
        if revision.string?.contains("{{") == true {
            edits.warn("targetRevision of chart \(update.name) is templated; left alone", at: revision)
        } else {
            try edits.set(revision, to: update.version, kind: .chart, subject: update.name)
        }
    }

    /// `oci://registry/repo/chart[:tag]` → `registry/repo/chart`; nil for any other URL.
    static func ociChart(_ url: String) -> String? {
        guard url.lowercased().hasPrefix("oci://") else { return nil }
        var rest = String(url.dropFirst("oci://".count).filter { !$0.isWhitespace })
        while rest.hasSuffix("/") { rest.removeLast() }
        if let slash = rest.lastIndex(of: "/"), let colon = rest[slash...].lastIndex(of: ":") { rest = String(rest[..<colon]) }
        return rest.contains("/") ? rest : nil
    }

    private func chartYAML(_ root: Node, _ edits: inout FileEdits) throws(EditError) {
        for dependency in root["dependencies"]?.resolved.items.map(\.resolved) ?? [] where dependency["name"]?.resolved.string == update.name {
            try edits.set(key: "version", of: dependency, to: update.version, kind: .chart, subject: update.name)
        }
        guard root["name"]?.resolved.string == update.name else { return }
        if update.ownChartYAML {
            try edits.set(key: "version", of: root, to: update.version, kind: .chart, subject: update.name)
        }
        if let appVersion = update.appVersion {
            try edits.set(key: "appVersion", of: root, to: appVersion, kind: .chart, subject: update.name)
        }
    }
}
