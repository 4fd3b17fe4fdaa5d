/// Rewrites the body of a literal (`|`) or folded (`>`) scalar, keeping its header's
/// comment, its indentation and the blank lines after it. Multi-line values are written
/// literal, since folding would change them; the chomping indicator follows the value's
/// trailing line breaks.
struct BlockScalarText {
    let node: Node

    /// The new text for the node's value span, or nil when a block scalar cannot hold the
    /// value faithfully (empty, or a first line starting with a blank).
    func render(_ value: String) -> [UInt8]? {
        let bytes = node.file.bytes
        let span = node.valueSpan
        guard !value.isEmpty, value.first != " ", value.first != "\t", value.first != "\n",
              value.unicodeScalars.allSatisfy({ ScalarText.isPrintable($0) && $0 != "\r" })
        else { return nil }
        let eol = node.file.lineEnding
        // Header: the indicator run, then whatever follows on the line (a comment).
        var headerEnd = span.lowerBound
        while headerEnd < span.upperBound, bytes[headerEnd] != 0x0A, bytes[headerEnd] != 0x0D { headerEnd += 1 }
        var indicatorEnd = span.lowerBound + 1
        while indicatorEnd < headerEnd, "+-0123456789".utf8.contains(bytes[indicatorEnd]) { indicatorEnd += 1 }
        let headerRest = Array(bytes[indicatorEnd..<headerEnd])
        var bodyStart = headerEnd
        if bodyStart < span.upperBound, bytes[bodyStart] == 0x0D { bodyStart += 1 }
        if bodyStart < span.upperBound, bytes[bodyStart] == 0x0A { bodyStart += 1 }

        // Indentation of the existing body, or two more than the header line's.
        var indent: Int?
        var lastContentEnd = bodyStart
        var cursor = bodyStart
        while cursor < span.upperBound {
            var lineEnd = cursor
            while lineEnd < span.upperBound, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let line = bytes[cursor..<lineEnd]
            let blanks = line.prefix { $0 == 0x20 }.count
            if line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) {
                if indent == nil { indent = blanks }
                lastContentEnd = min(lineEnd + 1, span.upperBound)
            }
            cursor = lineEnd + 1
        }
        let headerLineStart = node.file.lineStart(containing: span.lowerBound)
        let headerIndent = bytes[headerLineStart..<span.lowerBound].prefix { $0 == 0x20 }.count
        let bodyIndent = indent ?? (headerIndent + 2)
        let wasKeep = bytes[(span.lowerBound + 1)..<indicatorEnd].contains(UInt8(ascii: "+"))
        let trailing = wasKeep ? [] : Array(bytes[lastContentEnd..<span.upperBound])

        var trailingBreaks = 0
        var content = Substring(value)
        while content.last == "\n" {
            content = content.dropLast()
            trailingBreaks += 1
        }
        let chomp = trailingBreaks == 0 ? "-" : trailingBreaks == 1 ? "" : "+"
        let indicator = value.contains("\n") && trailingBreaks < value.filter({ $0 == "\n" }).count ? "|" : String(UnicodeScalar(bytes[span.lowerBound]))
        var out = Array((indicator + chomp).utf8) + headerRest + eol
        let pad = [UInt8](repeating: 0x20, count: bodyIndent)
        for line in content.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.isEmpty { out += pad + Array(line.utf8) }
            out += eol
        }
        for _ in 0..<max(0, trailingBreaks - 1) { out += eol }
        // A clip or strip scalar's trailing blank lines are layout, not content: keep them.
        if !wasKeep { out += trailing }
        return out
    }
}
