/// A parsed YAML (or JSON) file: the original bytes plus, for each document, a tree of
/// nodes that know their exact byte spans. Nothing here is ever re-serialised; edits are
/// splices of spans, so every byte outside a changed scalar survives.
public final class YAMLFile: Sendable {
    /// The path the file was read from, as given; used in every message.
    public let path: String
    /// The file's bytes exactly as read.
    public let bytes: [UInt8]
    let nodes: ContiguousArray<NodeRecord>
    let children: ContiguousArray<Int32>
    let values: ContiguousArray<UInt8>
    let anchors: [Int32: String]
    let tags: [Int32: String]
    let documentRecords: [DocumentRecord]
    /// Byte offset of the start of each line (0-based lines).
    let lineStarts: [Int32]

    init(
        path: String, bytes: [UInt8], nodes: ContiguousArray<NodeRecord>, children: ContiguousArray<Int32>,
        values: ContiguousArray<UInt8>, anchors: [Int32: String], tags: [Int32: String],
        documents: [DocumentRecord], lineStarts: [Int32]
    ) {
        self.path = path
        self.bytes = bytes
        self.nodes = nodes
        self.children = children
        self.values = values
        self.anchors = anchors
        self.tags = tags
        self.documentRecords = documents
        self.lineStarts = lineStarts
    }

    /// Parses `bytes` read from `path`. Throws `YAMLError` naming file:line:column.
    public static func parse(_ bytes: [UInt8], path: String, limits: YAMLLimits = .default) throws(YAMLError) -> YAMLFile {
        try TreeBuilder(path: path, bytes: bytes, limits: limits).build()
    }

    /// Parses a string (tests and small inputs).
    public static func parse(_ text: String, path: String = "<string>", limits: YAMLLimits = .default) throws(YAMLError) -> YAMLFile {
        try parse(Array(text.utf8), path: path, limits: limits)
    }

    /// The documents of the file, in order. A file with no content has none.
    public var documents: [Document] {
        documentRecords.indices.map { Document(file: self, index: $0) }
    }

    /// Whether the file is JSON by name; JSON files keep JSON syntax in every edit.
    public var isJSON: Bool { path.hasSuffix(".json") }

    /// The line ending the file mostly uses, so inserted lines match it.
    public var lineEnding: [UInt8] {
        guard let firstNewline = bytes.firstIndex(of: 0x0A) else { return [0x0A] }
        return firstNewline > 0 && bytes[firstNewline - 1] == 0x0D ? [0x0D, 0x0A] : [0x0A]
    }

    /// 1-based line and column of a byte offset (columns count characters).
    public func location(ofByte offset: Int) -> SourceLocation {
        LineIndex.location(ofByte: offset, lineStarts: lineStarts, bytes: bytes, path: path)
    }

    /// Byte offset of the start of the line holding `offset`.
    public func lineStart(containing offset: Int) -> Int {
        var index = min(offset, bytes.count)
        while index > 0, bytes[index - 1] != 0x0A { index -= 1 }
        return index
    }

    /// Byte offset just past the line break ending the line that holds `offset` (or the
    /// end of the file when the last line has none).
    public func lineEnd(containing offset: Int) -> Int {
        var index = offset
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
        return min(index + 1, bytes.count)
    }
}

/// One document of a file.
public struct Document: Sendable {
    public let file: YAMLFile
    public let index: Int

    /// The document's root node; an empty document has an empty plain scalar.
    public var root: Node { Node(file: file, id: file.documentRecords[index].root) }

    /// The document's byte span, `---` and `...` markers included where libyaml reports them.
    public var span: Range<Int> {
        let record = file.documentRecords[index]
        return Int(record.start)..<Int(record.end)
    }
}

/// Byte offsets to 1-based line and column, from the offsets where lines start.
enum LineIndex {
    static func location<Bytes: RandomAccessCollection<UInt8>>(ofByte offset: Int, lineStarts: [Int32], bytes: Bytes,
                                                                 path: String) -> SourceLocation where Bytes.Index == Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if Int(lineStarts[mid]) <= offset { low = mid } else { high = mid - 1 }
        }
        var column = 1
        var index = Int(lineStarts[low])
        let limit = min(offset, bytes.count)
        while index < limit {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourceLocation(file: path, line: low + 1, column: column)
    }
}
