import CapstanTestSupport
import Foundation
import YAML

/// Runs one pipeline of a bitbucket-pipelines.yml as Bitbucket would: its steps in order,
/// each in a fresh clone directory holding the artifacts earlier steps declared, the
/// `script` lines in one `bash -e` (the step stops at the first failing line), then the
/// `after-script` with BITBUCKET_EXIT_CODE, whatever the script did; a failed step ends
/// the pipeline. Each step runs in its own `image:`, else the file's (see
/// `PipelineHarness.tools(in:)`); an image whose USER is not root fails the step (it
/// cannot write the root-owned clone) unless the step says `run-as-user: 0`.
struct BitbucketPipelineRun {
    let harness: PipelineHarness
    /// The predefined variables (BITBUCKET_BUILD_NUMBER, BITBUCKET_WORKSPACE, …) and
    /// secured repository variables.
    var environment: [String: String]
    /// What each step's clone holds (nil: an empty directory).
    var source: URL? = nil
    private(set) var steps: [(name: String, status: Int32)] = []
    private(set) var failed = false
    /// The last step's clone directory.
    private(set) var lastDirectory: URL?

    /// `section` and `key`: which pipeline, e.g. ("branches", "main") or ("pull-requests", "**").
    mutating func run(_ file: YAMLFile, _ section: String, _ key: String) throws {
        guard let pipeline = file.documents[0].root["pipelines"]?[section]?[key] else { throw FixtureError("no pipeline \(section).\(key)") }
        var artifacts: [String: Data] = [:]
        for (index, item) in pipeline.items.enumerated() where !failed {
            guard let step = item["step"] else { continue }
            let name = step["name"]?.string ?? "step \(index + 1)"
            let directory = try harness.directory("bitbucket-\(key == "**" ? "pr" : key)-step-\(index + 1)")
            if let source { try TestSupport.copyTree(source, to: directory) }
            for (path, data) in artifacts { try data.write(to: directory.appendingPathComponent(path)) }
            var env = environment
            env["BITBUCKET_CLONE_DIR"] = directory.path
            let script = (step["script"]?.items ?? []).compactMap(\.string).joined(separator: "\n")
            let image = step["image"]?.string ?? step["image"]?["name"]?.string
                ?? file.documents[0].root["image"]?.string ?? file.documents[0].root["image"]?["name"]?.string ?? "atlassian/default-image:4"
            // The clone belongs to root: an image whose USER is not root cannot write it
            // unless the step runs it as root (`run-as-user: 0`).
            let runAsUser = step["image"]?["run-as-user"]?.string ?? file.documents[0].root["image"]?["run-as-user"]?.string
            guard !PipelineHarness.Image.runsAsNonRoot(image) || runAsUser == "0" else {
                harness.note(name, "\(image) runs as a non-root user and cannot write \(directory.path)")
                steps.append((name, 1))
                failed = true
                break
            }
            let result = try harness.run(name, image: image, ["/bin/bash", "-e"], script: script, environment: env, in: directory)
            if let after = step["after-script"] {
                env["BITBUCKET_EXIT_CODE"] = "\(result.status)"
                try harness.run(name + " (after-script)", image: image, ["/bin/bash", "-e"], script: after.items.compactMap(\.string).joined(separator: "\n"),
                                environment: env, in: directory)
            }
            steps.append((name, result.status))
            failed = result.status != 0
            for path in step["artifacts"]?.items.compactMap(\.string) ?? [] {
                artifacts[path] = try? Data(contentsOf: directory.appendingPathComponent(path))
            }
            lastDirectory = directory
        }
    }
}
