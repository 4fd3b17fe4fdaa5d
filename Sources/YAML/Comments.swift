/// A `# ...` comment: its byte span (the `#` to the end of the line, line break excluded).
public struct Comment: Sendable, Hashable {
    public let span: Range<Int>
    /// The text after `#`, trimmed of surrounding blanks.
    public let text: String
}

extension YAMLFile {
    /// Every comment of the file, in order. libyaml drops comments, so they are found in
    /// the gaps between scalar spans: a `#` there that follows a blank or starts a line.
    public var comments: [Comment] {
        var scalarSpans: [Range<Int>] = []
        scalarSpans.reserveCapacity(nodes.count)
        for record in nodes where record.kind == .scalar || record.kind == .alias {
            scalarSpans.append(Int(record.start)..<Int(record.end))
        }
        scalarSpans.sort { $0.lowerBound < $1.lowerBound }
        var found: [Comment] = []
        var spanIndex = 0
        var offset = 0
        while offset < bytes.count {
            while spanIndex < scalarSpans.count, scalarSpans[spanIndex].upperBound <= offset { spanIndex += 1 }
            if spanIndex < scalarSpans.count, scalarSpans[spanIndex].contains(offset) {
                offset = scalarSpans[spanIndex].upperBound
                continue
            }
            let byte = bytes[offset]
            if byte == UInt8(ascii: "#"), offset == 0 || Self.isBlankOrBreak(bytes[offset - 1]) {
                var end = offset
                while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
                let text = String(decoding: bytes[(offset + 1)..<end], as: UTF8.self)
                found.append(Comment(span: offset..<end, text: text.trimmingBlanks()))
                offset = end
                continue
            }
            offset += 1
        }
        return found
    }

    /// The comment on the same line right after `node` (`image: x # {"$imagepolicy": ...}`),
    /// with only blanks between them.
    public func lineComment(after node: Node, in comments: [Comment]) -> Comment? {
        var index = node.span.upperBound
        // A block scalar's span ends at the next line; its comment is on its header line.
        if let style = node.scalarStyle, style == .literal || style == .folded { return nil }
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "#") else { return nil }
        var low = 0
        var high = comments.count
        while low < high {
            let mid = (low + high) / 2
            if comments[mid].span.lowerBound < index { low = mid + 1 } else { high = mid }
        }
        return low < comments.count && comments[low].span.lowerBound == index ? comments[low] : nil
    }

    static func isBlankOrBreak(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

extension String {
    func trimmingBlanks() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

extension YAMLFile {
    /// Every scalar that has a comment after it on its line, with that comment (setter
    /// markers such as `# {"$imagepolicy": "ns:policy"}` live there).
    public func scalarsWithLineComments() -> [(node: Node, comment: Comment)] {
        let all = comments
        guard !all.isEmpty else { return [] }
        var found: [(Node, Comment)] = []
        for (index, record) in nodes.enumerated() where record.kind == .scalar {
            let node = Node(file: self, id: Int32(index))
            if let comment = lineComment(after: node, in: all) { found.append((node, comment)) }
        }
        return found
    }
}
