import Foundation

/// `--helm`: rendering needs `helm template`; when helm is not installed that is a note.
enum HelmRenderer {
    static func note(charts: [String]) -> [String] {
        guard !charts.isEmpty else { return [] }
        guard ExternalTool.find("helm") != nil else {
            return ["--helm: helm not installed; \(charts.count) chart\(charts.count == 1 ? "" : "s") not rendered (\(charts.joined(separator: ", ")))"]
        }
        return ["--helm: chart rendering is not implemented yet; \(charts.count) chart(s) not rendered"]
    }
}
