import CapstanTestSupport
import Foundation
import Testing
import YAML

/// The action's "Run capstan" step on its own, with a stand-in `capstan` that prints the
/// arguments it was given: how `command` and `args` become a command line.
@Suite struct ActionRunStepTests {
    private func run(command: String, args: String) throws -> [String] {
        let url = TestSupport.packageRoot.appendingPathComponent("action/action.yml")
        let file = try YAMLFile.parse(Array(try Data(contentsOf: url)), path: "action/action.yml")
        let step = try #require(file.documents.first?.root["runs"]?["steps"]?.items.first { $0["id"]?.string == "run" })
        let script = try #require(step["run"]?.string)
        let root = try TestSupport.temporaryDirectory("action-run")
        defer { try? FileManager.default.removeItem(at: root) }
        let stub = root.appendingPathComponent("capstan")
        try Data("#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n".utf8).write(to: stub)
        chmod(stub.path, 0o755)
        let result = try TestSupport.run(URL(fileURLWithPath: "/bin/bash"), ["--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                                         in: root, environment: [
                                             "PATH": root.path + ":/usr/bin:/bin", "CAPSTAN_COMMAND": command, "CAPSTAN_ARGS": args,
                                             "CAPSTAN_TOKEN": "", "CAPSTAN_SARIF": "",
                                         ])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").filter { $0.hasPrefix("[") }.map { String($0.dropFirst().dropLast()) }
    }

    @Test func argsAreSplitLikeAShellWithoutBeingEvaluated() throws {
        #expect(try run(command: "update", args: "--author 'Release Bot <bot@acme.example>' --set-image $(touch x):1") ==
            ["update", "--author", "Release Bot <bot@acme.example>", "--set-image", "$(touch", "x):1"])
    }

    @Test func noArgsMeansNoArguments() throws {
        #expect(try run(command: "validate", args: "") == ["validate"])
    }

    @Test func mergeRevertAndOpenAreThePullRequestSteps() throws {
        #expect(try run(command: "merge", args: "42 --wait 15m") == ["pr", "merge", "42", "--wait", "15m"])
        #expect(try run(command: "revert", args: "42") == ["pr", "revert", "42"])
        #expect(try run(command: "pr", args: "status 42") == ["pr", "status", "42"])
    }
}
