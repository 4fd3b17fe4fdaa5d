import Foundation
import Testing
import YAML

/// The ready-to-copy pipelines in examples/ci: each parses, and every Capstan invocation in
/// it (a `capstan …` command line, or a step using the Capstan action with `command` and
/// `args`) names a command that exists and only flags that command's --help lists.
/// ExamplePipelineRunTests runs them for real.
@Suite struct CIExamplesTests {
    static let files: [String] = {
        let directory = TestSupport.packageRoot.appendingPathComponent("examples/ci")
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
    }()

    struct Invocation: CustomStringConvertible {
        let command: [String]
        let flags: [String]
        /// Every word after `capstan`, as the pipeline writes it (variables unexpanded).
        var words: [String] = []
        var description: String { "capstan \(command.joined(separator: " ")) \(flags.joined(separator: " "))" }
    }

    static let subcommands: Set<String> = ["image", "chart", "value", "open", "find", "comment", "status", "close", "merge", "revert"]

    /// The invocations in one pipeline file.
    static func invocations(in file: YAMLFile) -> [Invocation] {
        var found: [Invocation] = []
        for document in file.documents {
            var pending = [document.root]
            while let node = pending.popLast() {
                if node.isMapping {
                    if let uses = node["uses"]?.string, uses.contains("capstan/action"),
                       let command = node["with"]?["command"]?.string {
                        let args = node["with"]?["args"]?.string ?? ""
                        // The action runs merge, revert and open as `pr merge` and so on.
                        let job = ["merge", "revert", "open"].contains(command) ? "pr " + command : command
                        found.append(parse(job + " " + args))
                    }
                    pending += node.entries.map(\.value)
                } else if node.isSequence {
                    pending += node.items
                } else if let text = node.string {
                    for piece in text.components(separatedBy: "capstan ").dropFirst() where !piece.hasPrefix("/") {
                        found.append(parse(piece))
                    }
                }
            }
        }
        return found
    }

    static func parse(_ text: String) -> Invocation {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        var command: [String] = []
        for word in words.prefix(2) where !word.hasPrefix("-") && (command.isEmpty || subcommands.contains(word)) {
            command.append(word)
        }
        let flags = words.filter { $0.hasPrefix("--") }.map { String($0.split(separator: "=").first ?? "") }
        return Invocation(command: command, flags: flags, words: words)
    }

    @Test(arguments: files)
    func everyCapstanInvocationUsesRealCommandsAndFlags(name: String) throws {
        let url = TestSupport.packageRoot.appendingPathComponent("examples/ci/\(name)")
        let file = try YAMLFile.parse(Array(try Data(contentsOf: url)), path: name)
        let invocations = Self.invocations(in: file)
        #expect(!invocations.isEmpty, "\(name) runs no Capstan command")
        for invocation in invocations {
            let help = try TestSupport.capstan(invocation.command + ["--help"])
            #expect(help.status == 0, "\(name): \(invocation): no such command")
            for flag in invocation.flags {
                #expect(help.stdout.contains(flag + " ") || help.stdout.contains(flag + "\n") || help.stdout.contains(flag + ","),
                        "\(name): \(invocation.command.joined(separator: " ")) has no flag \(flag)")
            }
        }
    }
}
