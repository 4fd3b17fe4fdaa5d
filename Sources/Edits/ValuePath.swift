/// A dotted key path into a YAML or JSON document: `spec.template.spec.containers[0].image`,
/// `a.b`, `metadata.annotations["example.com/key"]` (or `a\.b` for a dot inside a key),
/// and `containers[name=app].image` to pick a list item by a field.
public struct ValuePath: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
        case match(field: String, value: String)
    }

    public let steps: [Step]
    public let text: String

    public var description: String { text }

    public init(_ text: String) throws(EditError) {
        var steps: [Step] = []
        var key = ""
        var keyStarted = false
        var characters = Array(text)[...]
        func flush() {
            if keyStarted { steps.append(.key(key)) }
            key = ""
            keyStarted = false
        }
        while let character = characters.popFirst() {
            switch character {
            case "\\":
                guard let escaped = characters.popFirst() else { throw .invalidValuePath(text, reason: "ends with a backslash") }
                key.append(escaped)
                keyStarted = true
            case ".":
                guard keyStarted || steps.last.map({ if case .key = $0 { false } else { true } }) == true else {
                    throw .invalidValuePath(text, reason: "empty key")
                }
                flush()
            case "[":
                flush()
                guard let close = characters.firstIndex(of: "]") else { throw .invalidValuePath(text, reason: "unclosed [") }
                let inside = String(characters[..<close])
                characters = characters[characters.index(after: close)...]
                if let quote = inside.first, quote == "\"" || quote == "'", inside.count >= 2, inside.last == quote {
                    steps.append(.key(String(inside.dropFirst().dropLast())))
                } else if let index = Int(inside), index >= 0 {
                    steps.append(.index(index))
                } else if let equals = inside.firstIndex(of: "=") {
                    steps.append(.match(field: String(inside[..<equals]), value: String(inside[inside.index(after: equals)...])))
                } else {
                    throw .invalidValuePath(text, reason: "[\(inside)] is not an index, a quoted key or field=value")
                }
            default:
                key.append(character)
                keyStarted = true
            }
        }
        flush()
        guard !steps.isEmpty else { throw .invalidValuePath(text, reason: "empty path") }
        self.steps = steps
        self.text = text
    }
}
