import Foundation
import Testing

/// Help that teaches: every command's --help shows at least two examples, and every flag an
/// example uses is one that command has.
@Suite struct HelpExamplesTests {
    static let commands: [[String]] = [
        ["set"], ["set", "image"], ["set", "chart"], ["set", "value"], ["validate"], ["update"], ["verify"],
        ["pr"], ["pr", "open"], ["pr", "find"], ["pr", "comment"], ["pr", "status"], ["pr", "close"], ["pr", "merge"],
        ["pr", "revert"], ["apps"], ["wait"], ["config"], ["config", "explain"], ["version"],
    ]

    /// `capstan` alone lists the jobs, one line each, within 80 columns.
    @Test func theJobListFitsOneLineEach() throws {
        let overview = try TestSupport.capstan([])
        let lines = (overview.stdout + overview.stderr).split(separator: "\n", omittingEmptySubsequences: false)
        for job in ["set", "validate", "update", "verify", "pr", "apps", "wait", "config", "version"] {
            let line = try #require(lines.first { $0.hasPrefix("  \(job) ") }, "no line for \(job)")
            let next = lines.firstIndex(of: line).map { lines.index(after: $0) }.flatMap { $0 < lines.endIndex ? lines[$0] : nil }
            #expect(next.map { $0.hasPrefix("  ") || $0.isEmpty } ?? true, "the \(job) line wraps: \(line) / \(next ?? "")")
        }
    }

    @Test(arguments: commands)
    func helpHasTwoExamplesWithRealFlags(command: [String]) throws {
        let help = try TestSupport.capstan(command + ["--help"])
        #expect(help.status == 0)
        // Example lines may wrap; join each with its continuation lines.
        var examples: [String] = []
        for line in help.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("capstan ") { examples.append(trimmed) }
            else if !trimmed.isEmpty, let last = examples.last, line.hasPrefix(" ") == false, !trimmed.contains(":"),
                    !trimmed.hasPrefix("USAGE"), !trimmed.hasPrefix("OPTIONS") {
                examples[examples.count - 1] = last + " " + trimmed
            }
        }
        #expect(examples.count >= 2, "\(command.joined(separator: " ")) --help shows \(examples.count) examples")
        for example in examples {
            let words = example.split(separator: " ").map(String.init)
            let twoWords = Array(words.dropFirst().prefix(2))
            let target = Self.commands.contains(twoWords) ? twoWords : Array(words.dropFirst().prefix(1))
            #expect(Self.commands.contains(target), "example `\(example)` names no command")
            // Only the sections after USAGE count (OPTIONS and titled groups): the examples
            // themselves are in the discussion above them.
            let targetHelp = try TestSupport.capstan(target + ["--help"]).stdout
            let options = String(targetHelp[(targetHelp.range(of: "\nUSAGE:")?.upperBound ?? targetHelp.endIndex)...])
            #expect(options.contains("OPTIONS:"), "capstan \(target.joined(separator: " ")) --help has no OPTIONS section")
            for flag in words where flag.hasPrefix("--") {
                let name = String(flag.split(separator: "=").first ?? "")
                #expect(options.contains(name + " ") || options.contains(name + "\n") || options.contains(name + ","),
                        "example `\(example)` uses \(name), which `capstan \(target.joined(separator: " "))` does not have")
            }
        }
    }
}
