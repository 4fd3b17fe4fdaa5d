import CapstanTestSupport
import Foundation
import Testing
import YAML

/// The action's "Run capstan" step on its own, with a stand-in `capstan` that prints the
/// arguments it was given: how `command` and `args` become a command line.
@Suite struct ActionRunStepTests {
    private func run(command: String, args: String) throws -> [String] {
        try run(command: command, args: args, token: "").arguments
    }

    private func run(command: String, args: String, token: String) throws -> (arguments: [String], output: String, status: Int32) {
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
                                             "CAPSTAN_TOKEN": token, "CAPSTAN_SARIF": "",
                                         ])
        let arguments = result.stdout.split(separator: "\n").filter { $0.hasPrefix("[") }.map { String($0.dropFirst().dropLast()) }
        return (arguments, result.stdout + result.stderr, result.status)
    }

    /// The token is masked before anything else is printed, once.
    @Test func theTokenIsMaskedFirst() throws {
        let token = "ghs_" + UUID().uuidString
        let (_, output, status) = try run(command: "update", args: "--repo https://github.com/acme/release.git", token: token)
        #expect(status == 0)
        let lines = output.split(separator: "\n")
        #expect(lines.first == "::add-mask::\(token)"[...], "\(output)")
        #expect(lines.filter { $0.contains(token) }.count == 1, "the token is printed only to mask it: \(output)")
    }

    /// An unmatched quote stops the step; capstan never runs with what was left.
    @Test func argsThatCannotBeSplitStopTheStep() throws {
        let (arguments, output, status) = try run(command: "update", args: "--author O'Brien --set-image x:1", token: "")
        #expect(status == 2)
        #expect(arguments.isEmpty, "capstan ran with \(arguments)")
        #expect(output.contains("::error::args cannot be split"), "\(output)")
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
