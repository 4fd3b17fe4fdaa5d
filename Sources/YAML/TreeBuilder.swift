internal import CYAML

/// Builds a `YAMLFile` from libyaml's event stream: one pass, flat storage, no recursion,
/// aliases stored as references (never expanded, so alias bombs cost nothing).
struct TreeBuilder {
    let path: String
    let bytes: [UInt8]
    let limits: YAMLLimits

    func build() throws(YAMLError) -> YAMLFile {
        if bytes.count > limits.maxBytes {
            throw .tooLarge(file: path, bytes: bytes.count, limit: limits.maxBytes)
        }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            throw .unsupportedEncoding(file: path, encoding: "UTF-16")
        }
        let prefix = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let lineStarts = Self.lineStarts(of: bytes)
        let result: Result<YAMLFile, YAMLError> = bytes.withUnsafeBufferPointer { all in
            let input = UnsafeBufferPointer(rebasing: all[prefix...])
            var state = State(path: path, whole: all, input: input, prefix: prefix, limits: limits, lineStarts: lineStarts)
            do throws(YAMLError) {
                try state.run()
            } catch {
                return .failure(error)
            }
            return .success(YAMLFile(
                path: path, bytes: bytes, nodes: state.nodes, children: state.children, values: state.values,
                anchors: state.anchorNames, tags: state.tags, documents: state.documents, lineStarts: lineStarts))
        }
        return try result.get()
    }

    static func lineStarts(of bytes: [UInt8]) -> [Int32] {
        var starts: [Int32] = [0]
        starts.reserveCapacity(bytes.count / 24)
        for (offset, byte) in bytes.enumerated() where byte == 0x0A {
            starts.append(Int32(offset + 1))
        }
        return starts
    }
}

private struct State {
    let path: String
    let whole: UnsafeBufferPointer<UInt8>
    let input: UnsafeBufferPointer<UInt8>
    let offsets: OffsetMap
    let limits: YAMLLimits
    let lineStarts: [Int32]

    var nodes = ContiguousArray<NodeRecord>()
    var children = ContiguousArray<Int32>()
    var values = ContiguousArray<UInt8>()
    var anchorNames: [Int32: String] = [:]
    var tags: [Int32: String] = [:]
    var documents: [DocumentRecord] = []

    private var anchorTargets: [String: Int32] = [:]
    private var scratch: [Int32] = []
    private var open: [(node: Int32, scratchStart: Int)] = []
    private var documentStart: Int32 = 0
    private var documentRoot: Int32 = -1

    init(path: String, whole: UnsafeBufferPointer<UInt8>, input: UnsafeBufferPointer<UInt8>, prefix: Int,
         limits: YAMLLimits, lineStarts: [Int32]) {
        self.path = path
        self.whole = whole
        self.input = input
        self.offsets = OffsetMap(input, prefix: prefix)
        self.limits = limits
        self.lineStarts = lineStarts
        nodes.reserveCapacity(input.count / 8)
        values.reserveCapacity(input.count / 2)
    }

    mutating func run() throws(YAMLError) {
        let parser = EventParser(input: input)
        while true {
            guard let event = parser.next() else {
                let problem = parser.problem
                let offset = switch problem.position {
                case let .byte(offset): offsets.prefix + offset
                case let .character(index): offsets.byteOffset(ofCharacter: index, in: input)
                }
                throw .syntax(at: location(offset), problem: problem.message, context: problem.context)
            }
            let e = event.pointee
            switch e.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_DOCUMENT_START_EVENT:
                documentStart = Int32(byte(e.start_mark))
                documentRoot = -1
            case YAML_DOCUMENT_END_EVENT:
                documents.append(DocumentRecord(root: documentRoot, start: documentStart, end: Int32(byte(e.end_mark))))
            case YAML_SCALAR_EVENT:
                let scalar = e.data.scalar
                let id = try add(kind: .scalar, style: Self.scalarStyle(scalar.style), event: e,
                                 anchor: scalar.anchor, tag: scalar.tag)
                nodes[Int(id)].first = Int32(values.count)
                nodes[Int(id)].count = Int32(scalar.length)
                if let value = scalar.value, scalar.length > 0 {
                    values.append(contentsOf: UnsafeBufferPointer(start: value, count: scalar.length))
                }
                nodes[Int(id)].end = Int32(byte(e.end_mark))
            case YAML_SEQUENCE_START_EVENT:
                let start = e.data.sequence_start
                let id = try add(kind: .sequence, style: start.style == YAML_FLOW_SEQUENCE_STYLE ? 1 : 0, event: e,
                                 anchor: start.anchor, tag: start.tag)
                try push(id, e)
            case YAML_MAPPING_START_EVENT:
                let start = e.data.mapping_start
                let id = try add(kind: .mapping, style: start.style == YAML_FLOW_MAPPING_STYLE ? 1 : 0, event: e,
                                 anchor: start.anchor, tag: start.tag)
                try push(id, e)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                pop(e)
            case YAML_ALIAS_EVENT:
                let name = String(cString: e.data.alias.anchor)
                guard let target = anchorTargets[name] else {
                    throw .unknownAlias(at: location(byte(e.start_mark)), name: name)
                }
                let id = try add(kind: .alias, style: 0, event: e, anchor: nil, tag: nil)
                nodes[Int(id)].first = target
                nodes[Int(id)].end = Int32(byte(e.end_mark))
            default:
                continue
            }
        }
    }

    private func byte(_ mark: yaml_mark_t) -> Int {
        offsets.byteOffset(ofCharacter: Int(mark.index), in: input)
    }

    private func location(_ offset: Int) -> SourceLocation {
        LineIndex.location(ofByte: offset, lineStarts: lineStarts, bytes: whole, path: path)
    }

    private mutating func add(kind: NodeKind, style: UInt8, event e: yaml_event_t,
                              anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?) throws(YAMLError) -> Int32 {
        if nodes.count >= limits.maxNodes { throw .tooManyNodes(file: path, limit: limits.maxNodes) }
        let id = Int32(nodes.count)
        let start = byte(e.start_mark)
        let hasProperties = anchor != nil || tag != nil
        var valueStart = start
        var line = Int32(e.start_mark.line) + 1
        var column = Int32(e.start_mark.column) + 1
        if hasProperties {
            valueStart = skipProperties(from: start)
            let at = location(valueStart)
            line = Int32(at.line)
            column = Int32(at.column)
        }
        let parent = open.last?.node ?? -1
        nodes.append(NodeRecord(kind: kind, style: style, hasProperties: hasProperties, start: Int32(start), end: Int32(start),
                                valueStart: Int32(valueStart), line: line, column: column, first: 0, count: 0, parent: parent))
        if let anchor {
            let name = String(cString: anchor)
            anchorTargets[name] = id
            anchorNames[id] = name
        }
        if let tag { tags[id] = String(cString: tag) }
        if open.isEmpty { documentRoot = id } else { scratch.append(id) }
        return id
    }

    private mutating func push(_ id: Int32, _ e: yaml_event_t) throws(YAMLError) {
        if open.count >= limits.maxDepth {
            throw .tooDeep(at: location(byte(e.start_mark)), limit: limits.maxDepth)
        }
        open.append((id, scratch.count))
    }

    private mutating func pop(_ e: yaml_event_t) {
        guard let (id, scratchStart) = open.popLast() else { return }
        nodes[Int(id)].first = Int32(children.count)
        nodes[Int(id)].count = Int32(scratch.count - scratchStart)
        nodes[Int(id)].end = Int32(byte(e.end_mark))
        children.append(contentsOf: scratch[scratchStart...])
        scratch.removeSubrange(scratchStart...)
    }

    /// Skips `&anchor` and `!tag` properties (and the blanks and comments after them).
    private func skipProperties(from start: Int) -> Int {
        var index = start
        while index < whole.count, whole[index] == UInt8(ascii: "&") || whole[index] == UInt8(ascii: "!") {
            while index < whole.count, !Self.isBlankOrBreak(whole[index]) { index += 1 }
            while index < whole.count {
                if Self.isBlankOrBreak(whole[index]) {
                    index += 1
                } else if whole[index] == UInt8(ascii: "#") {
                    while index < whole.count, whole[index] != 0x0A { index += 1 }
                } else {
                    break
                }
            }
        }
        return index
    }

    private static func isBlankOrBreak(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func scalarStyle(_ style: yaml_scalar_style_t) -> UInt8 {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: ScalarStyle.singleQuoted.rawValue
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: ScalarStyle.doubleQuoted.rawValue
        case YAML_LITERAL_SCALAR_STYLE: ScalarStyle.literal.rawValue
        case YAML_FOLDED_SCALAR_STYLE: ScalarStyle.folded.rawValue
        default: ScalarStyle.plain.rawValue
        }
    }
}
