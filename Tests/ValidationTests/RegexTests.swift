import Foundation
import Testing
@testable import Validation

/// The `pattern` matcher against Go's `regexp` (the API server's and kubeconform's), whose
/// answers for ~1,300 patterns are recorded in Fixtures/validation/regex/go-answers.json
/// (oracle.go, cases.py: the bundled schemas' patterns, RE2 edge cases, random patterns).
@Suite("Schema patterns as Go's regexp reads them")
struct RegexTests {
    struct GoAnswers: Decodable {
        struct Answer: Decodable {
            let pattern: String
            let refused: Bool?
            let matches: [Bool]?
        }
        let go: String
        let texts: [[String]]
        let answers: [Answer]
    }

    /// Where Capstan knowingly differs, all refusals of patterns no known CRD uses: script
    /// classes (`\p{Greek}`: Swift's standard library has no script tables), and a repetition
    /// after an atom that adds nothing (`a*(?i)*`, which Go nests; refusing it is what keeps the
    /// repetition chain, and so the compiler's recursion, bounded).
    static let knownDifferences: Set<String> = [#"\p{Greek}"#, "a*(?i)*"]

    static func goAnswers() throws -> GoAnswers {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("regex/go-answers.json")))
        return try JSONDecoder().decode(GoAnswers.self, from: data)
    }

    @Test("every recorded pattern is accepted or refused as Go does, and matches each text as Go does")
    func agreesWithGo() throws {
        let recorded = try Self.goAnswers()
        #expect(recorded.answers.count > 1_000)
        var disagreements: [String] = []
        for (answer, texts) in zip(recorded.answers, recorded.texts) where !Self.knownDifferences.contains(answer.pattern) {
            let program: RegexProgram
            do {
                program = try RegexProgram(answer.pattern)
            } catch {
                if answer.refused != true { disagreements.append("\(answer.pattern.debugDescription): refused (\(error.reason)), Go compiles it") }
                continue
            }
            guard answer.refused != true else {
                disagreements.append("\(answer.pattern.debugDescription): compiled, Go refuses it")
                continue
            }
            for (text, expected) in zip(texts, answer.matches ?? []) where program.matches(text) != expected {
                disagreements.append("\(answer.pattern.debugDescription) on \(text.debugDescription): \(!expected), Go says \(expected)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements with \(recorded.go):\n\(disagreements.prefix(40).joined(separator: "\n"))")
    }

    @Test("a pattern with catastrophic backtracking in ICU is answered in linear work")
    func noBacktracking() throws {
        // ICU (NSRegularExpression) takes exponential time on these; the VM runs each instruction
        // at most once per position, so the answers come back at once (the suite would hang otherwise).
        let text = String(repeating: "a", count: 5_000) + "!"
        #expect(try RegexProgram("^(a+)+$").matches(text) == false)
        #expect(try RegexProgram("^(a|a)*$").matches(text) == false)
        #expect(try RegexProgram("(a*)*b").matches(text) == false)
        #expect(try RegexProgram("^([a-z0-9]+-?)*[a-z0-9]$").matches(String(repeating: "a-", count: 2_000) + "-") == false)
    }

    @Test("nesting is bounded as in Go: 999 groups compile, 1,000 is an error (Go's answers too), a million is no stack overflow")
    func nestingBound() throws {
        func nested(_ depth: Int) -> String { String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth) }
        #expect(try RegexProgram(nested(999)).matches("a"))
        #expect(throws: RegexSyntaxError(reason: "expression nests too deeply")) { try RegexProgram(nested(1_000)) }
        #expect(throws: RegexSyntaxError(reason: "expression nests too deeply")) { try RegexProgram(String(repeating: "(", count: 1_000_000)) }
    }

    @Test("(?i) folds by the same case orbits as Go's unicode.SimpleFold (recorded in go-case-orbits.json)")
    func caseOrbitsAreGos() throws {
        struct GoOrbits: Decodable { let go: String; let orbits: [[UInt32]] }
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("regex/go-case-orbits.json")))
        let recorded = try JSONDecoder().decode(GoOrbits.self, from: data)
        let goOrbits = Set(recorded.orbits.map { $0.sorted() })
        let ours = Set(CaseOrbits.allOrbits)
        #expect(goOrbits.count > 1_400)
        #expect(ours.subtracting(goOrbits).isEmpty, "orbits only Capstan has: \(ours.subtracting(goOrbits).sorted { $0[0] < $1[0] }.prefix(20))")
        #expect(goOrbits.subtracting(ours).isEmpty, "orbits only \(recorded.go) has: \(goOrbits.subtracting(ours).sorted { $0[0] < $1[0] }.prefix(20))")
    }

    @Test("a search that would take more than its step budget says so instead of running on")
    func stepBudget() throws {
        // 1,000 threads alive at every position of a 10,000-character text: ~10 M steps.
        let program = try RegexProgram(#"(?s)(?:.{1000})x"#)
        let text = String(repeating: "a", count: 10_000)
        #expect(program.search(text, budget: 1_000_000) == .tooCostly)
        #expect(program.search(text) == .noMatch)
        #expect(program.search(text + "x", budget: 1_000_000) == .tooCostly)
    }

    @Test("the empty-body and nested-count traps of the review are refused or cheap, never hours")
    func reviewTraps() throws {
        #expect(throws: RegexSyntaxError.self) { try RegexProgram("(?:(?:(?:(?:){1000}){1000}){1000}){1000}") }
        #expect(throws: RegexSyntaxError.self) { try RegexProgram("a" + String(repeating: "{1}(?i)", count: 60_000)) }
        #expect(throws: RegexSyntaxError.self) { try RegexProgram("a" + String(repeating: #"{1}\Q\E"#, count: 60_000)) }
        #expect(try RegexProgram("(?:(?:){1000}){1}").matches(""))
    }

    @Test("a \\Q left open quotes to the end of the pattern, across a copy of it, as Go reads it (the fuzzer's first law break was its own)")
    func quoteRunningIntoTheCopy() throws {
        // Go 1.27's regexp on the same three patterns: P compiles and finds "x"; (?:P) is
        // "missing closing )"; in (?:P)|(?:P) the open \Q ends at the second copy's \E, so it
        // is one literal, "x)|(?:(\Q" then "x)", and no longer an alternation of two P's.
        let pattern = #"(\Q\E)\Qx"#
        #expect(try RegexProgram(pattern).matches("x"))
        #expect(throws: RegexSyntaxError.self) { try RegexProgram("(?:\(pattern))") }
        let doubled = try RegexProgram("(?:\(pattern))|(?:\(pattern))")
        #expect(!doubled.matches("x"))
        #expect(doubled.matches(#"x)|(?:(\Qx)"#))
    }

    @Test("a CRD pattern Go refuses is a schema error naming the pattern and why")
    func refusedPatternNamesWhy() throws {
        #expect(throws: SchemaError.badPattern(source: "crd.yaml", pattern: "(?=x)", reason: "invalid or unsupported Perl syntax (?= (Go has no lookaround)")) {
            try Pattern("(?=x)", origin: "crd.yaml")
        }
    }
}
