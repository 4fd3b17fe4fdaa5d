import Foundation

/// A compiled `pattern`, searched (not anchored) as JSON Schema says. ICU and Go's RE2
/// agree on the syntax these schemas use (classes, anchors, repetition, alternation).
struct Pattern: @unchecked Sendable {
    let source: String
    private let expression: NSRegularExpression

    init(_ source: String, origin: String) throws(SchemaError) {
        self.source = source
        do {
            expression = try NSRegularExpression(pattern: source)
        } catch {
            throw .badPattern(source: origin, pattern: source)
        }
    }

    func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}
