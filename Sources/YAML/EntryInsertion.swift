/// Adding and removing mapping entries in the file's own layout: a new key lands after
/// the mapping's last entry with the same indentation (or inside the braces of a flow
/// mapping, JSON included), nested keys indented by the file's own step.
extension Node {
    /// The splice that adds `keys` (a chain of nested keys) under this mapping, the last
    /// one holding `value` (already rendered, e.g. `ScalarText.doubleQuoted`).
    /// `expected` is what the new scalar must read back as.
    public func insertingEntry(keys: [String], renderedValue: [UInt8], expected: (value: String, type: ScalarType)) throws(YAMLError) -> Splice {
        guard !keys.isEmpty else { throw .cannotEdit(at: location, reason: "no key to add") }
        let node = resolved
        let expectation = structuralPath.map {
            Splice.Expectation(document: documentIndex, path: $0 + keys.map(PathStep.key),
                               value: expected.value, type: expected.type)
        }
        if node.isMapping {
            if node.isFlowCollection {
                return Splice(range: node.flowInsertionPoint, replacement: node.flowEntryText(keys, renderedValue), expectation: expectation)
            }
            let (offset, prefix) = node.blockInsertionPoint
            let indent = node.blockKeyIndent
            return Splice(range: offset..<offset,
                          replacement: prefix + file.blockEntryText(keys, renderedValue, indent: indent),
                          expectation: expectation)
        }
        if node.isScalar, node.scalarType == .null {
            return try node.replacingNull(keys: keys, renderedValue: renderedValue, expectation: expectation)
        }
        throw .cannotEdit(at: location, reason: "cannot add key \(keys[0]) under \(pathDescription): it is a \(node.kind), not a mapping")
    }

    /// The splice that deletes the entry `key` of a block mapping, whole lines only; nil
    /// when the entry does not sit on lines of its own.
    public func removingEntry(_ key: String) -> Splice? {
        guard isMapping, !isFlowCollection, let keyNode = keyNode(key), let value = self[key] else { return nil }
        let lineStart = file.lineStart(containing: keyNode.span.lowerBound)
        guard file.bytes[lineStart..<keyNode.span.lowerBound].allSatisfy({ $0 == 0x20 }) else { return nil }
        let end = file.lineEnd(containing: max(value.lastContentOffset - 1, keyNode.span.upperBound))
        return Splice(range: lineStart..<end, replacement: [])
    }

    /// The byte just past the last content of this node's subtree (trailing blank lines,
    /// comments and the next token excluded).
    var lastContentOffset: Int {
        let node = self
        switch node.kind {
        case .scalar:
            if let style = node.scalarStyle, style == .literal || style == .folded {
                var end = node.span.upperBound
                let bytes = file.bytes
                while end > node.valueSpan.lowerBound, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x20 {
                    end -= 1
                }
                return end
            }
            return node.span.upperBound
        case .alias:
            return node.span.upperBound
        case .mapping, .sequence:
            if node.isFlowCollection { return node.span.upperBound }
            let last = node.isMapping ? node.entries.last?.value : node.items.last
            return last?.lastContentOffset ?? node.span.upperBound
        }
    }

    private var blockInsertionPoint: (offset: Int, prefix: [UInt8]) {
        let end = lastContentOffset
        let lineEnd = file.lineEnd(containing: max(end - 1, 0))
        let endsWithBreak = lineEnd > 0 && file.bytes[lineEnd - 1] == 0x0A
        return (lineEnd, endsWithBreak ? [] : file.lineEnding)
    }

    private var blockKeyIndent: Int {
        guard let firstKey = entries.first?.key else { return 0 }
        let lineStart = file.lineStart(containing: firstKey.span.lowerBound)
        return firstKey.span.lowerBound - lineStart
    }

    private var flowInsertionPoint: Range<Int> {
        if let lastValue = entries.last?.value {
            let end = lastValue.span.upperBound
            return end..<end
        }
        // Empty `{}`: insert just after the brace.
        let open = valueSpan.lowerBound + 1
        return open..<open
    }

    private func flowEntryText(_ keys: [String], _ value: [UInt8]) -> [UInt8] {
        let json = file.isJSON || entries.contains { $0.key.scalarStyle == .doubleQuoted }
        func key(_ text: String) -> [UInt8] {
            json || !ScalarText.canBePlain(text, inFlow: true) ? ScalarText.doubleQuoted(text) : Array(text.utf8)
        }
        var body = key(keys.last!) + Array(": ".utf8) + value
        for outer in keys.dropLast().reversed() {
            body = key(outer) + Array(": {".utf8) + body + [UInt8(ascii: "}")]
        }
        guard let firstKey = entries.first?.key else { return body }
        let multiline = file.bytes[span].contains(0x0A)
        if multiline {
            let lineStart = file.lineStart(containing: firstKey.span.lowerBound)
            let indent = [UInt8](repeating: 0x20, count: firstKey.span.lowerBound - lineStart)
            return [UInt8(ascii: ",")] + file.lineEnding + indent + body
        }
        return Array(", ".utf8) + body
    }

    private func replacingNull(keys: [String], renderedValue: [UInt8], expectation: Splice.Expectation?) throws(YAMLError) -> Splice {
        guard let key = keyInParent, let parent, !parent.isFlowCollection, !file.isJSON else {
            if isInFlowContext || file.isJSON {
                var body = ScalarText.doubleQuoted(keys.last!) + Array(": ".utf8) + renderedValue
                for outer in keys.dropLast().reversed() {
                    body = ScalarText.doubleQuoted(outer) + Array(": {".utf8) + body + [UInt8(ascii: "}")]
                }
                return Splice(range: valueSpan, replacement: [UInt8(ascii: "{")] + body + [UInt8(ascii: "}")], expectation: expectation)
            }
            throw .cannotEdit(at: location, reason: "cannot add keys under \(pathDescription)")
        }
        // `key:` or `key: ~` → `key:\n  child: value`
        var colon = key.span.upperBound
        while colon < file.bytes.count, file.bytes[colon] != UInt8(ascii: ":") { colon += 1 }
        let keyLineStart = file.lineStart(containing: key.span.lowerBound)
        let indent = key.span.lowerBound - keyLineStart + file.indentStep
        let range = valueSpan.isEmpty || valueSpan.lowerBound <= colon ? (colon + 1)..<(colon + 1) : (colon + 1)..<valueSpan.upperBound
        var text = file.lineEnding + file.blockEntryText(keys, renderedValue, indent: indent)
        if text.last == 0x0A { text.removeLast(file.lineEnding.count) }
        return Splice(range: range, replacement: text, expectation: expectation)
    }
}

extension YAMLFile {
    /// Lines `key:` … `last: value` for a chain of keys, each level indented by the file's step.
    func blockEntryText(_ keys: [String], _ value: [UInt8], indent: Int) -> [UInt8] {
        var out: [UInt8] = []
        var level = indent
        for (index, key) in keys.enumerated() {
            out += [UInt8](repeating: 0x20, count: level)
            out += ScalarText.canBePlain(key, inFlow: false) && ScalarType.resolvePlain(key) == .string
                ? Array(key.utf8) : ScalarText.doubleQuoted(key)
            if index == keys.count - 1 {
                out += Array(": ".utf8) + value
            } else {
                out += [UInt8(ascii: ":")]
            }
            out += lineEnding
            level += indentStep
        }
        return out
    }

    /// How many spaces this file indents a nested mapping by (2 when it has none).
    var indentStep: Int {
        for record in nodes where record.kind == .mapping && record.style == 0 && record.parent >= 0 {
            let parent = nodes[Int(record.parent)]
            guard parent.kind == .mapping, parent.style == 0, record.count > 0 else { continue }
            let childKey = nodes[Int(children[Int(record.first)])]
            let parentKey = nodes[Int(children[Int(parent.first)])]
            let step = Int(childKey.column) - Int(parentKey.column)
            if step > 0 { return step }
        }
        return 2
    }
}
