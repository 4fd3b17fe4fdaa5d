/// One change to a file: replace the bytes in `range` with `replacement`. When it sets a
/// scalar, `expectation` says what the scalar must read back as, so the edited file is
/// re-parsed and checked before anything is written.
public struct Splice: Sendable, Hashable {
    public let range: Range<Int>
    public let replacement: [UInt8]
    public let expectation: Expectation?

    public init(range: Range<Int>, replacement: [UInt8], expectation: Expectation? = nil) {
        self.range = range
        self.replacement = replacement
        self.expectation = expectation
    }

    /// What a node must read back as after the edit.
    public struct Expectation: Sendable, Hashable {
        public let document: Int
        public let path: [PathStep]
        public let value: String?
        public let type: ScalarType?
    }
}

/// One step from a document root to a node: a mapping key or a sequence index.
public enum PathStep: Sendable, Hashable, CustomStringConvertible {
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case let .key(key): key.contains(".") ? "[\"\(key)\"]" : ".\(key)"
        case let .index(index): "[\(index)]"
        }
    }
}

extension Node {
    /// Which document holds this node.
    public var documentIndex: Int {
        var root = self
        while let parent = root.parent { root = parent }
        return file.documentRecords.firstIndex { $0.root == root.id } ?? 0
    }

    /// The steps from the document root to this node (nil for a mapping key node).
    public var structuralPath: [PathStep]? {
        var steps: [PathStep] = []
        var current = self
        while let parent = current.parent {
            if parent.isSequence {
                guard let index = parent.items.firstIndex(of: current) else { return nil }
                steps.append(.index(index))
            } else {
                guard let key = current.keyInParent?.string else { return nil }
                steps.append(.key(key))
            }
            current = parent
        }
        return steps.reversed()
    }
}

extension YAMLFile {
    /// The node at `path` in document `document`, aliases followed along the way.
    public func node(document: Int, path: [PathStep]) -> Node? {
        guard document < documentRecords.count else { return nil }
        var current: Node? = documents[document].root
        for step in path {
            guard let node = current?.resolved else { return nil }
            switch step {
            case let .key(key): current = node[key]
            case let .index(index):
                let items = node.items
                current = index < items.count ? items[index] : nil
            }
        }
        return current?.resolved
    }

    /// The file's bytes with `splices` applied. Identical duplicates collapse; overlapping
    /// different ones are an error. The result is re-parsed and every expectation checked,
    /// so an edit that would change a value's meaning never reaches the disk.
    public func applying(_ splices: [Splice]) throws(YAMLError) -> [UInt8] {
        var unique: [Splice] = []
        for splice in splices.sorted(by: { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }) {
            if let last = unique.last {
                if last.range == splice.range && last.replacement == splice.replacement { continue }
                if last.range.upperBound > splice.range.lowerBound
                    || (last.range.isEmpty && splice.range.isEmpty && last.range.lowerBound == splice.range.lowerBound) {
                    throw .conflictingEdits(at: location(ofByte: splice.range.lowerBound))
                }
            }
            unique.append(splice)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + unique.reduce(0) { $0 + $1.replacement.count })
        var cursor = 0
        for splice in unique {
            output.append(contentsOf: bytes[cursor..<splice.range.lowerBound])
            output.append(contentsOf: splice.replacement)
            cursor = splice.range.upperBound
        }
        output.append(contentsOf: bytes[cursor...])
        try check(output, against: unique)
        return output
    }

    private func check(_ output: [UInt8], against splices: [Splice]) throws(YAMLError) {
        let edited: YAMLFile
        do {
            edited = try YAMLFile.parse(output, path: path)
        } catch {
            let at = splices.first.map { location(ofByte: $0.range.lowerBound) } ?? SourceLocation(file: path, line: 1, column: 1)
            throw .editDidNotRoundTrip(at: at, expected: "valid YAML", found: "a parse error: \(error)")
        }
        guard edited.documentRecords.count == documentRecords.count else {
            throw .editDidNotRoundTrip(at: SourceLocation(file: path, line: 1, column: 1),
                                       expected: "\(documentRecords.count) documents", found: "\(edited.documentRecords.count)")
        }
        for splice in splices {
            guard let expectation = splice.expectation else { continue }
            let at = location(ofByte: splice.range.lowerBound)
            guard let node = edited.node(document: expectation.document, path: expectation.path) else {
                throw .editDidNotRoundTrip(at: at, expected: expectation.path.map(\.description).joined(), found: "no such node")
            }
            if let value = expectation.value, node.string != value {
                throw .editDidNotRoundTrip(at: at, expected: "\"\(value)\"", found: "\"\(node.string ?? "a collection")\"")
            }
            if let type = expectation.type, let found = node.scalarType, found != type {
                throw .editDidNotRoundTrip(at: at, expected: "a \(type.rawValue)", found: "a \(found.rawValue)")
            }
        }
    }
}
