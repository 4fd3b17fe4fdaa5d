// libFuzzer entry point for schema `pattern`s, which a pull request's CRD controls: the
// first line of the input is a pattern, the rest a text to match. Any crash, trap, timeout
// (the matcher is linear, so 5 s means a bug) or sanitizer report is a bug. Laws checked:
// a compiled pattern P matches a text exactly when (?:P) and (?:P)|(?:P) do (grouped, so
// flags such as (?i) cannot leak into the other copy). Both laws hold only when (?:P)
// compiles: a P that ends inside an unterminated \Q quotes the closing parenthesis, and if P
// also holds a \E, the quote in (?:P)|(?:P) ends inside the second copy and the doubled
// pattern is a different, valid one (Go reads it so too; RegexTests.quoteRunningIntoTheCopy).
// Built by scripts/fuzz-regex with the Regex sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func schemaPatternFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = input.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let pattern = String(lines.first ?? "")
    let text = lines.count > 1 ? String(lines[1]) : ""
    guard let program = try? RegexProgram(pattern) else { return 0 }
    let matches = program.matches(text)
    guard let grouped = try? RegexProgram("(?:\(pattern))") else { return 0 }
    precondition(grouped.matches(text) == matches, "(?:P) differs from P for \(pattern.debugDescription) on \(text.debugDescription)")
    if let doubled = try? RegexProgram("(?:\(pattern))|(?:\(pattern))") {
        precondition(doubled.matches(text) == matches, "(?:P)|(?:P) differs from P for \(pattern.debugDescription) on \(text.debugDescription)")
    }
    return 0
}
