import Foundation
import Testing

/// Help that teaches: every command's --help shows at least two examples, and every flag an
/// example uses is one that command has.
@Suite struct HelpExamplesTests {
    static let commands: [[String]] = [
        ["set"], ["set", "image"], ["set", "chart"], ["set", "value"], ["validate"], ["update"], ["verify"],
        ["pr"], ["pr", "open"], ["pr", "find"], ["pr", "comment"], ["pr", "status"], ["pr", "close"], ["pr", "merge"],
        ["pr", "revert"], ["apps"], ["config"], ["config", "explain"], ["version"],
    ]

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
            let targetHelp = try TestSupport.capstan(target + ["--help"]).stdout
            for flag in words where flag.hasPrefix("--") {
                let name = String(flag.split(separator: "=").first ?? "")
                #expect(targetHelp.contains(name + " ") || targetHelp.contains(name + "\n") || targetHelp.contains(name + ","),
                        "example `\(example)` uses \(name), which `capstan \(target.joined(separator: " "))` does not have")
            }
        }
    }
}
