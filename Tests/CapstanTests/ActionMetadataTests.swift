import Foundation
import Testing
import YAML

/// action/action.yml against GitHub's action metadata rules: the required keys, inputs
/// with descriptions, composite outputs with values, and steps with a shell each.
@Suite struct ActionMetadataTests {
    @Test func actionMetadataHasTheShapeGitHubRequires() throws {
        let url = TestSupport.packageRoot.appendingPathComponent("action/action.yml")
        let file = try YAMLFile.parse(Array(try Data(contentsOf: url)), path: "action/action.yml")
        let root = try #require(file.documents.first?.root)
        for key in ["name", "description", "runs"] {
            #expect(root[key] != nil, "action.yml needs \(key)")
        }
        let allowed: Set<String> = ["name", "author", "description", "inputs", "outputs", "runs", "branding"]
        #expect(root.entries.allSatisfy { allowed.contains($0.key.string ?? "") })
        for (name, input) in try #require(root["inputs"]).entries {
            #expect(input["description"]?.string?.isEmpty == false, "input \(name.string ?? "") needs a description")
            #expect(input.entries.allSatisfy { ["description", "required", "default", "deprecationMessage"].contains($0.key.string ?? "") })
        }
        let runs = try #require(root["runs"])
        #expect(runs["using"]?.string == "composite")
        for (name, output) in try #require(root["outputs"]).entries {
            #expect(output["value"]?.string?.hasPrefix("${{ steps.") == true, "output \(name.string ?? "") needs a value")
        }
        for step in try #require(runs["steps"]).items {
            #expect((step["run"] != nil) != (step["uses"] != nil), "a step runs a script or uses an action")
            if step["run"] != nil { #expect(step["shell"]?.string == "bash") }
        }
        let commands = (try #require(root["inputs"]?["command"]?["description"]?.string))
        let help = try TestSupport.capstan(["--help"])
        for job in ["validate", "set", "update", "verify", "pr", "apps"] {
            #expect(commands.contains(job))
            #expect(help.stdout.contains("  \(job) "), "capstan --help should list \(job)")
        }
    }
}
