import CapstanTestSupport
import Foundation
import YAML

/// Runs an azure-pipelines.yml's `steps` as an Azure Pipelines agent would: `$(Name)`
/// macros filled from the pipeline's variables before the script runs, `condition:`
/// evaluated (default `succeeded()`), each `script:` in `bash --noprofile --norc` (no
/// `-e`: only the last command's status counts, as on the agent), non-secret variables
/// also given as environment variables (upper-cased, `.` → `_`), secrets only through a
/// step's `env:`, and `##vso[task.setvariable variable=NAME]VALUE` lines setting variables
/// for later steps. The run is a CI build of `branch` (`trigger:` decides whether it starts)
/// or, with `pullRequest`, a PR build (`pr: none` starts none). Steps run in the job's
/// `container:` (a `resources.containers` name or an image), a step with `target:` in
/// that container instead (`host`: the agent itself; see `PipelineHarness.tools(in:)`). A
/// container whose image runs as a non-root user fails the job's "Initialize containers"
/// unless its `options` start it as root (`--user 0:0`), as on the agent.
struct AzurePipelineRun {
    let harness: PipelineHarness
    /// Predefined and pipeline variables by their macro names (Build.BuildId, …).
    var variables: [String: String]
    /// Names of secret variables: macros only, never environment variables.
    var secrets: Set<String>
    var workspace: URL
    private(set) var steps: [(name: String, status: Int32)] = []
    private(set) var failed = false
    /// Whether the trigger (or `pr:`) started the build at all.
    private(set) var started = false

    mutating func run(_ file: YAMLFile, branch: String = "main", pullRequest: Bool = false) throws {
        let root = file.documents[0].root
        // Without `pr:`, every PR builds; without `trigger:`, every push does.
        let trigger = root[pullRequest ? "pr" : "trigger"]
        if trigger?.string == "none" { return }
        if let include = trigger?["branches"]?["include"]?.items.compactMap(\.string) ?? trigger?.items.compactMap(\.string),
           trigger != nil, !include.contains(branch), !include.contains("*") { return }
        started = true
        var containers: [String: String] = [:]
        for container in root["resources"]?["containers"]?.items ?? [] {
            containers[container["container"]?.string ?? ""] = container["image"]?.string
        }
        let host = root["pool"]?["vmImage"]?.string ?? "ubuntu-latest"
        let resolve = { (name: String) in name == "host" ? host : containers[name] ?? name }
        let jobImage = root["container"]?.string.map(resolve) ?? host
        // "Initialize containers": the agent runs groupadd/useradd in every container the
        // job uses, which fails in an image whose USER is not root unless it starts as root.
        let used = Set([root["container"]?.string].compactMap { $0 } + (root["steps"]?.items ?? []).compactMap { $0["target"]?.string })
        for container in root["resources"]?["containers"]?.items ?? [] where used.contains(container["container"]?.string ?? "") {
            let image = container["image"]?.string ?? ""
            let options = container["options"]?.string ?? ""
            if PipelineHarness.Image.runsAsNonRoot(image) && !(options.contains("--user 0") || options.contains("-u 0")) {
                harness.note("Initialize containers", "useradd: Permission denied (\(image) runs as a non-root user)")
                failed = true
                return
            }
        }
        for (key, value) in root["variables"]?.entries ?? [] { variables[key.string ?? ""] = value.string ?? "" }
        for (index, step) in (root["steps"]?.items ?? []).enumerated() {
            guard let script = step["script"]?.string,
                  try PipelineCondition.azure(step["condition"]?.string, failed: failed, variables: variables) else { continue }
            let name = step["displayName"]?.string ?? "step \(index + 1)"
            let expander = TemplateExpander(syntax: .azure, values: variables)
            var env: [String: String] = [:]
            for (name, value) in variables where !secrets.contains(name) {
                env[name.uppercased().replacingOccurrences(of: ".", with: "_")] = value
            }
            for (key, value) in step["env"]?.entries ?? [] { env[key.string ?? ""] = try expander.expand(value.string ?? "") }
            let image = step["target"]?.string.map(resolve) ?? step["target"]?["container"]?.string.map(resolve) ?? jobImage
            let result = try harness.run(name, image: image, ["/bin/bash", "--noprofile", "--norc"], script: try expander.expand(script), environment: env, in: workspace)
            steps.append((name, result.status))
            if result.status != 0 { failed = true }
            for line in result.stdout.split(separator: "\n") where line.hasPrefix("##vso[task.setvariable variable=") {
                let rest = line.dropFirst("##vso[task.setvariable variable=".count)
                guard let close = rest.firstIndex(of: "]") else { continue }
                let name = rest[..<close].split(separator: ";").first.map(String.init) ?? ""
                variables[name] = String(rest[rest.index(after: close)...])
            }
        }
    }
}
