import YAML

/// What `set value FILE KEY=VALUE` asks for.
public struct ValueUpdate: Sendable, Hashable {
    public let file: String
    public let path: ValuePath
    public let value: String
    public let intent: ValueIntent
    /// Which document of a multi-document file (0-based); nil to find the one holding the path.
    public let document: Int?

    public init(file: String, path: ValuePath, value: String, intent: ValueIntent = .keepType, document: Int? = nil) {
        self.file = file
        self.path = path
        self.value = value
        self.intent = intent
        self.document = document
    }

    /// Parses `KEY=VALUE` (the first `=` outside brackets splits).
    public static func parse(file: String, assignment: String, intent: ValueIntent = .keepType, document: Int? = nil) throws(EditError) -> ValueUpdate {
        var depth = 0
        for index in assignment.indices {
            switch assignment[index] {
            case "[": depth += 1
            case "]": depth -= 1
            case "=" where depth == 0:
                let path = try ValuePath(String(assignment[..<index]))
                return ValueUpdate(file: file, path: path, value: String(assignment[assignment.index(after: index)...]),
                                   intent: intent, document: document)
            default: continue
            }
        }
        throw .invalidAssignment(assignment, reason: "expected KEY=VALUE")
    }
}

/// Sets one value at a key path, creating missing mapping keys in the file's own layout.
struct ValueEditor {
    let update: ValueUpdate

    func edit(_ edits: inout FileEdits) throws(EditError) {
        let file = edits.file
        let documents = update.document.map { [$0] } ?? Array(file.documents.indices)
        if let only = update.document, only >= file.documents.count {
            throw .cannotSet(at: SourceLocation(file: edits.relativePath, line: 1, column: 1),
                             reason: "the file has \(file.documents.count) documents; there is no document \(only)")
        }
        var found: [(document: Int, node: Node)] = []
        var partial: [(document: Int, node: Node, remaining: [String])] = []
        for index in documents {
            switch try resolve(file.documents[index].root) {
            case let .found(node): found.append((index, node))
            case let .missing(node, remaining): partial.append((index, node, remaining))
            }
        }
        let subject = update.path.text
        if found.count > 1 {
            throw .ambiguous(file: edits.relativePath, path: subject, documents: found.map(\.document))
        }
        if let target = found.first {
            try edits.set(target.node, to: update.value, as: update.intent, kind: .value, subject: subject)
            return
        }
        guard partial.count == 1, let target = partial.first else {
            throw .cannotSet(at: SourceLocation(file: edits.relativePath, line: 1, column: 1),
                             reason: "\(subject) is in none of the \(documents.count) documents; pick one with --document to create it")
        }
        let intent: ValueIntent = update.intent == .keepType ? .string : update.intent
        try edits.insert(keys: target.remaining, under: target.node, value: update.value, as: intent, kind: .value, subject: subject)
    }

    private enum Resolution {
        case found(Node)
        case missing(under: Node, keys: [String])
    }

    private func resolve(_ root: Node) throws(EditError) -> Resolution {
        var current = root.resolved
        for (position, step) in update.path.steps.enumerated() {
            switch step {
            case let .key(key):
                guard current.isMapping || (current.isScalar && current.scalarType == .null) else {
                    throw .cannotSet(at: current.location, reason: "\(describe(position)) is a \(current.kind), so it has no key \(key)")
                }
                if let next = current[key] {
                    current = next.resolved
                } else {
                    let remaining = update.path.steps[position...].compactMap { step -> String? in
                        if case let .key(key) = step { key } else { nil }
                    }
                    guard remaining.count == update.path.steps.count - position else {
                        throw .cannotSet(at: current.location, reason: "\(update.path.text): cannot create list items, only mapping keys")
                    }
                    return .missing(under: current, keys: remaining)
                }
            case let .index(index):
                let items = current.items
                guard current.isSequence, index < items.count else {
                    throw .cannotSet(at: current.location, reason: "\(describe(position)) has no item [\(index)]")
                }
                current = items[index].resolved
            case let .match(field, value):
                guard let item = current.items.first(where: { $0.resolved[field]?.resolved.string == value }) else {
                    throw .cannotSet(at: current.location, reason: "\(describe(position)) has no item with \(field)=\(value)")
                }
                current = item.resolved
            }
        }
        return .found(current)
    }

    private func describe(_ position: Int) -> String {
        position == 0 ? "the document root" : "the value at step \(position) of \(update.path.text)"
    }
}
