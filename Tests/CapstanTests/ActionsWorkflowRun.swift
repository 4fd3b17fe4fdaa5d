import CapstanTestSupport
import Foundation
import YAML

/// Runs a GitHub Actions or Gitea/Forgejo Actions workflow as its runner would: jobs in
/// file order, each once the jobs it `needs` are done, its `if:` evaluated (by default it
/// runs only when they all succeeded; `failure()` holds when one it depends on failed);
/// steps in order, `${{ }}` filled from the context, `if:` evaluated, each `run:` through
/// bash in the job's image (its `container`, else the hosted runner: see
/// `PipelineHarness.tools(in:)`) with a fresh `$GITHUB_OUTPUT` whose lines become
/// `steps.ID.outputs.*`, and job outputs handed on as `needs.JOB.outputs.*`. A step using
/// the Capstan action runs the action's own "Run capstan" step (action/action.yml) with
/// the env it declares; its install/build steps are skipped (the test's PATH already holds
/// the built binary). `actions/checkout` calls `checkout` with its `with:`;
/// `docker/login-action` logs in to its registry; other actions are skipped.
///
/// The job token (`secrets.GITHUB_TOKEN`) has the job's `permissions:`, else the
/// workflow's, else the restricted default (`contents: read`, `packages: read`). A step
/// that needs more than the token has fails, as it would on GitHub: checkout needs
/// `contents: read`; logging in to ghcr.io with the token, `packages: write`; the action's
/// SARIF upload, `security-events: write` and `actions: read`; `apps --comment` with the
/// token, `pull-requests: write`. What each job needed is kept in `neededPermissions`.
struct ActionsWorkflowRun {
    let harness: PipelineHarness
    /// github.*, gitea.*, secrets.*: what the runner knows before the first step.
    var context: [String: String]
    /// The runner's environment variables (GITHUB_ACTIONS, GITHUB_SERVER_URL, …).
    var environment: [String: String]
    var workspace: URL
    var checkout: ([String: String]) throws -> Void = { _ in }
    /// Every step output and job output set, by its expression name.
    private(set) var outputs: [String: String] = [:]
    /// The steps that ran, with their exit status.
    private(set) var steps: [(name: String, status: Int32)] = []
    /// Each job's result: success, failure or skipped.
    private(set) var jobResults: [String: String] = [:]
    /// Each job's token permissions as declared (nil: the default), and as its steps needed them.
    private(set) var declaredPermissions: [String: [String: String]?] = [:]
    private(set) var neededPermissions: [String: [String: String]] = [:]
    private(set) var failed = false

    static let action: YAMLFile = {
        let url = TestSupport.packageRoot.appendingPathComponent("action/action.yml")
        return try! YAMLFile.parse(Array(try! Data(contentsOf: url)), path: "action.yml")
    }()

    private var expander: TemplateExpander { TemplateExpander(syntax: .actions, values: context.merging(outputs) { $1 }) }

    mutating func run(_ file: YAMLFile) throws {
        let root = file.documents.first?.root
        guard let jobs = root?["jobs"] else { throw FixtureError("\(file.path): no jobs") }
        for (key, job) in jobs.entries {
            guard let jobName = key.string else { continue }
            let needs = Self.needs(job)
            let dependencies = ancestors(needs, in: jobs)
            let succeeded = needs.allSatisfy { jobResults[$0] == "success" }
            let dependencyFailed = dependencies.contains { jobResults[$0] == "failure" }
            outputs = outputs.filter { !$0.key.hasPrefix("steps.") }
            guard try PipelineCondition.actions(job["if"]?.string, succeeded: succeeded, failed: dependencyFailed, expander: expander) else {
                jobResults[jobName] = "skipped"
                continue
            }
            let image = job["container"]?["image"]?.string ?? job["container"]?.string ?? job["runs-on"]?.string ?? "ubuntu-latest"
            let declared = try permissions(job["permissions"] ?? root?["permissions"])
            declaredPermissions[jobName] = declared
            neededPermissions[jobName] = [:]
            var jobFailed = false
            let jobEnvironment = try mapping(job["env"])
            for (index, step) in (job["steps"]?.items ?? []).enumerated() {
                // What a step needs counts whether or not it runs this time.
                let needed = try step["uses"]?.string.map { neededScopes($0, with: try mapping(step["with"])) } ?? [:]
                for (scope, level) in needed where neededPermissions[jobName]?[scope] != "write" { neededPermissions[jobName]?[scope] = level }
                guard try PipelineCondition.actions(step["if"]?.string, succeeded: !jobFailed, failed: jobFailed, expander: expander) else { continue }
                let name = step["name"]?.string ?? step["id"]?.string ?? "\(jobName) step \(index + 1)"
                let env = environment.merging(jobEnvironment) { $1 }.merging(try mapping(step["env"])) { $1 }
                var status: Int32 = 0
                var stepOutputs: [String: String] = [:]
                if let uses = step["uses"]?.string {
                    let with = try mapping(step["with"])
                    let missing = needed.filter { !Self.grants(declared, $0.key, $0.value) }
                    if !missing.isEmpty {
                        status = 1
                        harness.note(name, "the job's GITHUB_TOKEN lacks " + missing.map { "\($0.key): \($0.value)" }.sorted().joined(separator: ", "))
                    } else if uses.contains("capstan/action") {
                        (status, stepOutputs) = try runAction(name, with: with, image: image, environment: env)
                    } else if uses.hasPrefix("actions/checkout") {
                        try checkout(with)
                    } else if uses.hasPrefix("docker/login-action") {
                        guard let password = with["password"], !password.isEmpty else { throw FixtureError("\(name): no password") }
                        try harness.recordDockerLogin(with["registry"] ?? "docker.io")
                    } else {
                        continue
                    }
                } else if let script = step["run"]?.string {
                    (status, stepOutputs) = try runScript(name, try expander.expand(script), shell: step["shell"]?.string,
                                                         image: image, environment: env, in: workspace)
                }
                steps.append((name, status))
                if let id = step["id"]?.string {
                    for (output, value) in stepOutputs { outputs["steps.\(id).outputs.\(output)"] = value }
                }
                if status != 0 { jobFailed = true }
            }
            for (output, value) in try mapping(job["outputs"]) { outputs["needs.\(jobName).outputs.\(output)"] = value }
            jobResults[jobName] = jobFailed ? "failure" : "success"
            failed = failed || jobFailed
        }
    }

    /// The jobs `needs` names and everything they need in turn.
    private func ancestors(_ needs: [String], in jobs: Node) -> Set<String> {
        var found: Set<String> = []
        var pending = needs
        while let name = pending.popLast() {
            guard found.insert(name).inserted, let job = jobs[name] else { continue }
            pending += Self.needs(job)
        }
        return found
    }

    /// A job's `needs:`, one name or a list.
    private static func needs(_ job: Node) -> [String] {
        guard let node = job["needs"] else { return [] }
        return node.isSequence ? node.items.compactMap(\.string) : [node.string].compactMap { $0 }
    }

    /// A `permissions:` mapping (nil when not declared).
    private func permissions(_ node: Node?) throws -> [String: String]? {
        guard let node else { return nil }
        return try mapping(node)
    }

    /// Whether the job token with `declared` permissions (nil: the restricted default) has
    /// `scope` at `level` (write implies read).
    static func grants(_ declared: [String: String]?, _ scope: String, _ level: String) -> Bool {
        let granted = (declared ?? ["contents": "read", "packages": "read"])[scope]
        return granted == "write" || (level == "read" && granted == "read")
    }

    /// The job token's permissions an action step needs.
    private func neededScopes(_ uses: String, with: [String: String]) -> [String: String] {
        let jobToken = context["secrets.GITHUB_TOKEN"]
        if uses.hasPrefix("actions/checkout") { return ["contents": "read"] }
        if uses.hasPrefix("docker/login-action") {
            return with["registry"] == "ghcr.io" && with["password"] == jobToken ? ["packages": "write"] : [:]
        }
        guard uses.contains("capstan/action") else { return [:] }
        var needed: [String: String] = [:]
        if !(with["sarif-file"] ?? "").isEmpty { needed["security-events"] = "write"; needed["actions"] = "read" }
        if jobToken != nil, with["token"] == jobToken, with["command"] == "apps", (with["args"] ?? "").contains("--comment") {
            needed["pull-requests"] = "write"
        }
        return needed
    }

    /// A mapping's values, `${{ }}` filled.
    private func mapping(_ node: Node?) throws -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in node?.entries ?? [] {
            if let key = key.string { values[key] = try expander.expand(value.string ?? "") }
        }
        return values
    }

    /// The composite action's "Run capstan" step, with the action's inputs, env and outputs.
    private func runAction(_ name: String, with: [String: String], image: String, environment: [String: String]) throws -> (Int32, [String: String]) {
        let root = Self.action.documents[0].root
        var inputs: [String: String] = [:]
        for (key, input) in root["inputs"]?.entries ?? [] { inputs["inputs.\(key.string ?? "")"] = input["default"]?.string ?? "" }
        for (key, value) in with {
            guard inputs["inputs.\(key)"] != nil else { throw FixtureError("\(name): the action has no input \(key)") }
            inputs["inputs.\(key)"] = value
        }
        let actionExpander = TemplateExpander(syntax: .actions, values: inputs)
        guard let step = root["runs"]?["steps"]?.items.first(where: { $0["id"]?.string == "run" }), let script = step["run"]?.string else {
            throw FixtureError("action.yml has no step with id run")
        }
        var env = environment
        env["GITHUB_ACTION_PATH"] = TestSupport.packageRoot.appendingPathComponent("action").path
        for (key, value) in step["env"]?.entries ?? [] { env[key.string ?? ""] = try actionExpander.expand(value.string ?? "") }
        let directory = workspace.appendingPathComponent(try actionExpander.expand(step["working-directory"]?.string ?? "."))
        let (status, stepOutputs) = try runScript(name, try actionExpander.expand(script), shell: step["shell"]?.string, image: image,
                                                  environment: env, in: directory)
        let outputsExpander = TemplateExpander(syntax: .actions, values: Dictionary(uniqueKeysWithValues: stepOutputs.map { ("steps.run.outputs.\($0.key)", $0.value) }))
        var actionOutputs: [String: String] = [:]
        for (key, output) in root["outputs"]?.entries ?? [] {
            actionOutputs[key.string ?? ""] = try outputsExpander.expand(output["value"]?.string ?? "")
        }
        return (status, actionOutputs)
    }

    /// One `run:` script: `bash -e` by default, `bash --noprofile --norc -eo pipefail` for
    /// `shell: bash`, as the runners do; returns what it wrote to `$GITHUB_OUTPUT`.
    private func runScript(_ name: String, _ script: String, shell: String?, image: String, environment: [String: String], in directory: URL) throws -> (Int32, [String: String]) {
        let outputFile = harness.root.appendingPathComponent("outputs/\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outputFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data().write(to: outputFile)
        var env = environment
        env["GITHUB_OUTPUT"] = outputFile.path
        let interpreter = shell == "bash" ? ["/bin/bash", "--noprofile", "--norc", "-eo", "pipefail"] : ["/bin/bash", "-e"]
        let result = try harness.run(name, image: image, interpreter, script: script, environment: env, in: directory)
        return (result.status, Self.parseOutputs(try String(contentsOf: outputFile, encoding: .utf8)))
    }

    /// `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks.
    static func parseOutputs(_ text: String) -> [String: String] {
        var outputs: [String: String] = [:]
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let line = lines.popFirst() {
            if let heredoc = line.range(of: "<<") {
                let delimiter = line[heredoc.upperBound...]
                var value: [Substring] = []
                while let next = lines.popFirst(), next != delimiter { value.append(next) }
                outputs[String(line[..<heredoc.lowerBound])] = value.joined(separator: "\n")
            } else if let equals = line.firstIndex(of: "=") {
                outputs[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        return outputs
    }
}
