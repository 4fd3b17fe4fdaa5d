import CapstanTestSupport
import Foundation
import YAML

/// Runs the in-cluster CI templates' steps as their controllers would start the containers.
enum ClusterTaskRun {
    /// A Tekton Task: each step's `script` with `$(params.x)` filled (given values, else the
    /// param's default), run by its shebang's interpreter, `env` from `secretKeyRef`s given
    /// by `secrets` (secret name → value). Returns each step's status.
    static func tekton(_ file: YAMLFile, harness: PipelineHarness, parameters: [String: String], secrets: [String: String],
                       in directory: URL) throws -> [Int32] {
        let spec = try require(file.documents[0].root["spec"], "spec")
        var values: [String: String] = [:]
        for param in spec["params"]?.items ?? [] {
            let name = param["name"]?.string ?? ""
            values["params.\(name)"] = parameters[name] ?? param["default"]?.string
        }
        let expander = TemplateExpander(syntax: .tekton, values: values.compactMapValues { $0 })
        var statuses: [Int32] = []
        for step in spec["steps"]?.items ?? [] {
            let script = try expander.expand(try require(step["script"]?.string, "a step's script"))
            let shebang = script.hasPrefix("#!") ? String(script.dropFirst(2).prefix { $0 != "\n" }).split(separator: " ").map(String.init) : ["/bin/sh"]
            let env = try environment(step["env"], secrets: secrets)
            statuses.append(try harness.run(step["name"]?.string ?? "step", image: step["image"]?.string ?? "", shebang, script: script, environment: env, in: directory).status)
        }
        return statuses
    }

    /// An Argo WorkflowTemplate: the entrypoint's steps in order, each template's container
    /// `command` + `args` with `{{workflow.parameters.x}}` filled. Returns each step's status.
    static func argo(_ file: YAMLFile, harness: PipelineHarness, parameters: [String: String], secrets: [String: String],
                     in directory: URL) throws -> [Int32] {
        let spec = try require(file.documents[0].root["spec"], "spec")
        let templates = spec["templates"]?.items ?? []
        let template = { (name: String) in templates.first { $0["name"]?.string == name } }
        let entry = try require(template(spec["entrypoint"]?.string ?? ""), "the entrypoint template")
        let expander = TemplateExpander(syntax: .argo, values: Dictionary(uniqueKeysWithValues: parameters.map { ("workflow.parameters.\($0.key)", $0.value) }))
        var statuses: [Int32] = []
        for group in entry["steps"]?.items ?? [] {
            for step in group.items {
                let container = try require(template(step["template"]?.string ?? "")?["container"], "a step's container")
                let words = try ((container["command"]?.items ?? []) + (container["args"]?.items ?? [])).map { try expander.expand($0.string ?? "") }
                guard words.count == 3, words[0] == "sh", words[1] == "-c" else { throw FixtureError("the example runs sh -c SCRIPT; got \(words)") }
                let env = try environment(container["env"], secrets: secrets)
                statuses.append(try harness.run(step["name"]?.string ?? "step", image: container["image"]?.string ?? "", ["/bin/sh"], script: words[2], environment: env, in: directory).status)
            }
        }
        return statuses
    }

    /// Kubernetes `env`: plain values, and `valueFrom.secretKeyRef` looked up by secret name.
    private static func environment(_ node: Node?, secrets: [String: String]) throws -> [String: String] {
        var env: [String: String] = [:]
        for variable in node?.items ?? [] {
            let name = variable["name"]?.string ?? ""
            if let secret = variable["valueFrom"]?["secretKeyRef"]?["name"]?.string {
                env[name] = try require(secrets[secret], "the secret \(secret)")
            } else {
                env[name] = variable["value"]?.string ?? ""
            }
        }
        return env
    }

    private static func require<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw FixtureError("the template has no \(what)") }
        return value
    }
}
