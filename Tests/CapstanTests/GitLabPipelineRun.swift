import CapstanTestSupport
import Foundation
import YAML

/// Runs a .gitlab-ci.yml as GitLab would for one pipeline: `workflow: rules:` first (no
/// rule matching: no pipeline at all), then jobs by stage (file order within a stage),
/// `rules: - if: $VAR == "value"` (or `== $OTHER`) and `when: on_success | on_failure`
/// honoured, each job's `script` lines in one `sh -e` in the job's `image` (else the
/// global one; see `PipelineHarness.tools(in:)`), the job stopping at the first failing
/// line, global `variables` expanded from the predefined ones, and `artifacts: reports:`
/// collected as `artifacts: when:` says (default on_success): dotenv reports handed to
/// later jobs as variables, every report kept in `reports`.
struct GitLabPipelineRun {
    let harness: PipelineHarness
    /// The predefined variables (GITLAB_CI, CI_SERVER_URL, CI_PROJECT_PATH, …) and CI/CD variables.
    var environment: [String: String]
    var workspace: URL
    private(set) var dotenv: [String: String] = [:]
    private(set) var jobs: [(name: String, status: Int32)] = []
    private(set) var failed = false
    /// Whether `workflow: rules:` let the pipeline start.
    private(set) var created = false
    /// The reports collected, as "JOB: KIND PATH".
    private(set) var reports: [String] = []

    static let keywords: Set<String> = ["stages", "variables", "image", "services", "default", "workflow", "include",
                                        "before_script", "after_script", "cache"]

    mutating func run(_ file: YAMLFile) throws {
        let root = file.documents[0].root
        let stages = root["stages"]?.items.compactMap(\.string) ?? ["build", "test", "deploy"]
        var globals: [String: String] = [:]
        for (key, value) in root["variables"]?.entries ?? [] { globals[key.string ?? ""] = Self.expand(value.string ?? "", environment) }
        if let workflow = root["workflow"]?["rules"] {
            guard try Self.firstMatchAdmits(workflow, environment.merging(globals) { $1 }) else { return }
        }
        created = true
        let definitions = root.entries.filter { entry in
            guard let name = entry.key.string else { return false }
            return entry.value.isMapping && !Self.keywords.contains(name) && !name.hasPrefix(".")
        }
        let ordered = definitions.enumerated().sorted { left, right in
            let (a, b) = (stages.firstIndex(of: left.element.value["stage"]?.string ?? "test") ?? 0,
                          stages.firstIndex(of: right.element.value["stage"]?.string ?? "test") ?? 0)
            return a == b ? left.offset < right.offset : a < b
        }.map(\.element)
        for (key, job) in ordered {
            let name = key.string ?? ""
            var variables = environment.merging(globals) { $1 }.merging(dotenv) { $1 }
            for (key, value) in job["variables"]?.entries ?? [] { variables[key.string ?? ""] = Self.expand(value.string ?? "", variables) }
            guard try rulesAdmit(job, variables) else { continue }
            switch job["when"]?.string ?? "on_success" {
            case "on_success": if failed { continue }
            case "on_failure": if !failed { continue }
            case "always": break
            default: continue
            }
            variables["CI_JOB_NAME"] = name
            variables["CI_JOB_STAGE"] = job["stage"]?.string ?? "test"
            let lines = ((root["before_script"]?.items ?? []) + (job["script"]?.items ?? [])).compactMap(\.string)
            let image = job["image"]?.string ?? job["image"]?["name"]?.string ?? root["image"]?.string ?? root["default"]?["image"]?.string ?? "ruby:3.1"
            let result = try harness.run(name, image: image, ["/bin/sh", "-e"], script: lines.joined(separator: "\n"), environment: variables, in: workspace)
            jobs.append((name, result.status))
            if result.status != 0 { failed = true }
            let collect = job["artifacts"]?["when"]?.string ?? "on_success"
            guard collect == "always" || (collect == "on_failure") == (result.status != 0) else { continue }
            for (kind, paths) in job["artifacts"]?["reports"]?.entries ?? [] {
                for path in paths.isSequence ? paths.items.compactMap(\.string) : [paths.string].compactMap({ $0 }) {
                    // A report the job did not write is only a warning on GitLab.
                    guard let text = try? String(contentsOf: workspace.appendingPathComponent(path), encoding: .utf8) else { continue }
                    reports.append("\(name): \(kind.string ?? "") \(path)")
                    guard kind.string == "dotenv" else { continue }
                    for line in text.split(separator: "\n") {
                        guard let equals = line.firstIndex(of: "=") else { continue }
                        dotenv[String(line[..<equals])] = String(line[line.index(after: equals)...])
                    }
                }
            }
        }
    }

    /// A job's `rules:`; a job without rules runs in branch pipelines only, not in merge
    /// request pipelines.
    private func rulesAdmit(_ job: Node, _ variables: [String: String]) throws -> Bool {
        guard let rules = job["rules"] else { return variables["CI_PIPELINE_SOURCE"] != "merge_request_event" }
        return try Self.firstMatchAdmits(rules, variables)
    }

    /// `rules:` with `if: $NAME == "value"`, `$NAME == $OTHER` (or `!=`): the first matching
    /// rule decides (`when: never` refuses); none matching refuses. An undefined variable
    /// equals nothing.
    static func firstMatchAdmits(_ rules: Node, _ variables: [String: String]) throws -> Bool {
        for rule in rules.items {
            guard let condition = rule["if"]?.string else { return rule["when"]?.string != "never" }
            let negated = condition.contains("!=")
            let parts = condition.components(separatedBy: negated ? "!=" : "==").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[0].hasPrefix("$") else { throw FixtureError("cannot evaluate the rule \(condition)") }
            let left = variables[String(parts[0].dropFirst())]
            let right = parts[1].hasPrefix("$") ? variables[String(parts[1].dropFirst())] : parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            let equal = left != nil && left == right
            if equal != negated { return rule["when"]?.string != "never" }
        }
        return false
    }

    /// `$NAME` and `${NAME}` in a variable's value, from the variables defined so far.
    static func expand(_ text: String, _ variables: [String: String]) -> String {
        let expression = try! NSRegularExpression(pattern: #"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"#)
        var result = ""
        var last = text.startIndex
        for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let whole = Range(match.range, in: text), let name = Range(match.range(at: 1), in: text) else { continue }
            result += text[last..<whole.lowerBound] + (variables[String(text[name])] ?? "")
            last = whole.upperBound
        }
        return result + text[last...]
    }
}
