import Foundation
import Testing
import YAML

/// The ready-to-copy pipelines in examples/ci: each parses, and every Capstan invocation in
/// it (a `capstan …` command line, or a step using the Capstan action with `command` and
/// `args`) names a command that exists and only flags that command's --help lists.
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
                        found.append(parse(command + " " + args))
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

    /// The pipeline's variables, as a CI run would fill them for the Argo CD example.
    static func expand(_ line: String) -> String {
        var text = line
        let images = ["$CI_REGISTRY_IMAGE": "ghcr.io/acme/checkout", "$(params.image)": "ghcr.io/acme/checkout:1.9.0",
                      "{{workflow.parameters.image}}": "ghcr.io/acme/checkout", " $branch": ""]
        for (variable, value) in images { text = text.replacingOccurrences(of: variable, with: value) }
        for pattern in [#"\$\{\{[^}]*\}\}"#, #"\$\([^)]*\)"#, #"\{\{[^}]*\}\}"#, #"\$[A-Za-z_][A-Za-z0-9_]*"#] {
            text = text.replacingOccurrences(of: pattern, with: "9", options: .regularExpression)
        }
        return text
    }

    /// Splits a command line as a shell would: blanks separate words, quotes group them.
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " || character == "\n" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// `update` and `validate` as each pipeline runs them, against a bare copy of the Argo CD
    /// example (the pipeline's --repo and token swapped for it) and the example itself.
    @Test(arguments: files)
    func updateAndValidateRunAgainstTheExamples(name: String) throws {
        let url = TestSupport.packageRoot.appendingPathComponent("examples/ci/\(name)")
        let file = try YAMLFile.parse(Array(try Data(contentsOf: url)), path: name)
        let example = TestSupport.packageRoot.appendingPathComponent("examples/argocd-release-repo")
        for invocation in Self.invocations(in: file) where ["update", "validate"].contains(invocation.command.first ?? "") {
            var words: [String] = []
            var skip = false
            let line = Self.expand(invocation.words.joined(separator: " "))
            for word in Self.shellWords(line).dropFirst().prefix(while: { $0 != ">" && $0 != "|" }) {
                if skip { skip = false; continue }
                if word == "--repo" || word == "--token-env" { skip = true; continue }
                if word.isEmpty { continue }
                words.append(word)
            }
            if invocation.command.first == "validate" {
                let result = try TestSupport.capstan(["validate"] + words, in: example)
                #expect(result.status == 0, "\(name): capstan validate \(words.joined(separator: " ")): \(result.stdout)\(result.stderr)")
                continue
            }
            let root = try TestSupport.temporaryDirectory("ci-example")
            defer { try? FileManager.default.removeItem(at: root) }
            let bare = try GitFixtures.bareRepository(in: root, name: "release", copying: example)
            let result = try TestSupport.capstan(["update", "--repo", bare.path] + words)
            #expect(result.status == 0, "\(name): capstan update \(words.joined(separator: " ")): \(result.stderr)")
            let branches = try GitFixtures.git(["for-each-ref", "--format=%(refname:short)", "refs/heads"], in: bare)
            let tips = try branches.split(separator: "\n").map { try GitFixtures.show(bare, String($0), "envs/prod/config.yaml") }
            #expect(tips.contains { $0.contains("1.9.0") || $0.contains("\"9\"") }, "\(name): the bump did not land")
        }
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
