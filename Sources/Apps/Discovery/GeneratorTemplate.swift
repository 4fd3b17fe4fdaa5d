/// ApplicationSet template substitution for the two syntaxes Argo CD accepts:
/// fasttemplate (`{{path.basename}}`) and Go templates (`{{ .image.tag }}`). Only plain
/// lookups are expanded; anything else (functions, pipelines) is left as written.
struct GeneratorTemplate {
    let parameters: [String: String]

    /// The text with every known `{{ ... }}` replaced.
    func render(_ text: String) -> String {
        guard text.contains("{{") else { return text }
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                output += rest[open.lowerBound...]
                return output
            }
            var inner = rest[open.upperBound..<close.lowerBound]
            if inner.hasPrefix("-") { inner = inner.dropFirst() }
            if inner.hasSuffix("-") { inner = inner.dropLast() }
            var key = inner.trimmingCharactersInSpace()
            if key.hasPrefix(".") { key.removeFirst() }
            if let value = parameters[key] {
                output += value
            } else {
                output += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        return output + rest
    }

    /// Whether a text still holds an unexpanded template expression.
    static func isTemplated(_ text: String) -> Bool { text.contains("{{") }
}

extension Substring {
    fileprivate func trimmingCharactersInSpace() -> String {
        var slice = self
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
