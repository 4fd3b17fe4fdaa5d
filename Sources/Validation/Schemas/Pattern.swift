/// A compiled `pattern`, searched (not anchored) as JSON Schema says, in Go's RE2 syntax and
/// meaning — what the API server and kubeconform use — and in time linear in the text.
struct Pattern: Sendable {
    let source: String
    private let program: RegexProgram

    init(_ source: String, origin: String) throws(SchemaError) {
        self.source = source
        do {
            program = try RegexProgram(source)
        } catch {
            throw .badPattern(source: origin, pattern: source, reason: error.reason)
        }
    }

    func search(_ text: String) -> RegexProgram.Verdict {
        program.search(text)
    }

    func matches(_ text: String) -> Bool {
        program.matches(text)
    }
}
