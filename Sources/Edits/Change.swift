import YAML

/// One scalar an edit changed (or, in a dry run, would change).
public struct Change: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case image, chart, value
    }

    public let kind: Kind
    /// What was asked for: an image's normalized name, a chart name, or a key path.
    public let subject: String
    public let file: String
    public let line: Int
    public let column: Int
    /// Where in the document the scalar sits, e.g. `spec.template.spec.containers[0].image`.
    public let field: String
    /// The old value; nil when the key was created.
    public let from: String?
    public let to: String
}

/// Something a person should know that did not stop the edit.
public struct EditWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String

    public var description: String {
        line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
    }
}

/// Collects the splices, changes and warnings for one file; splices to the same bytes
/// collapse, so two rules that find the same scalar change it once.
struct FileEdits {
    let file: YAMLFile
    let relativePath: String
    private(set) var splices: [Splice] = []
    private(set) var changes: [Change] = []
    private(set) var warnings: [EditWarning] = []
    /// Every subject (image name, chart) this file references, changed or not: a requested
    /// subject no file references is a mistake worth stopping for, not "nothing to change".
    private(set) var found: Set<String> = []
    private var seen: [Range<Int>: String] = [:]

    init(file: YAMLFile, relativePath: String) {
        self.file = file
        self.relativePath = relativePath
    }

    /// Sets scalar `node` to `value`; nothing when it already reads as that value and type.
    mutating func set(_ node: Node, to value: String, as intent: ValueIntent = .string,
                      kind: Change.Kind, subject: String) throws(EditError) {
        found.insert(subject)
        let target = node.resolved
        guard target.isScalar else {
            throw .cannotSet(at: target.location, reason: "\(target.pathDescription) is a \(target.kind), not a scalar")
        }
        if target.string == value, intent != .string || target.scalarType == .string { return }
        if let earlier = seen[target.valueSpan] {
            guard earlier == value else {
                throw .cannotSet(at: target.location, reason: "two edits set \(target.pathDescription) differently: \(earlier) and \(value)")
            }
            return
        }
        let splice: Splice
        do { splice = try target.replacing(with: value, as: intent) } catch { throw .yaml(error) }
        seen[target.valueSpan] = value
        splices.append(splice)
        changes.append(Change(kind: kind, subject: subject, file: relativePath, line: target.location.line,
                              column: target.location.column, field: target.pathDescription, from: target.string, to: value))
    }

    /// Sets `key` of `mapping` to `value`, creating the key (after the last entry, in the
    /// file's layout) when it is missing.
    mutating func set(key: String, of mapping: Node, to value: String, as intent: ValueIntent = .string,
                      kind: Change.Kind, subject: String) throws(EditError) {
        if let existing = mapping.resolved[key] {
            try set(existing, to: value, as: intent, kind: kind, subject: subject)
        } else {
            try insert(keys: [key], under: mapping, value: value, as: intent, kind: kind, subject: subject)
        }
    }

    /// Adds a chain of keys under `parent`, the last holding `value`.
    mutating func insert(keys: [String], under parent: Node, value: String, as intent: ValueIntent,
                         kind: Change.Kind, subject: String) throws(EditError) {
        found.insert(subject)
        let target = parent.resolved
        let type: ScalarType = switch intent {
        case .string, .keepType: .string
        case .int: .int
        case .bool: .bool
        case .float: ScalarType.resolvePlain(value)
        }
        let rendered = Self.render(value, type: type, file: file, flow: target.isFlowCollection || target.isInFlowContext)
        let splice: Splice
        do { splice = try target.insertingEntry(keys: keys, renderedValue: rendered, expected: (value, type)) } catch { throw .yaml(error) }
        splices.append(splice)
        let at = file.location(ofByte: splice.range.lowerBound)
        let prefix = target.pathDescription
        changes.append(Change(kind: kind, subject: subject, file: relativePath, line: at.line, column: at.column,
                              field: (prefix.isEmpty ? "" : prefix + ".") + keys.joined(separator: "."), from: nil, to: value))
    }

    /// Deletes entry `key` of a block mapping; a flow mapping gets an empty string instead.
    mutating func remove(key: String, of mapping: Node, kind: Change.Kind, subject: String) throws(EditError) {
        found.insert(subject)
        let target = mapping.resolved
        guard let value = target[key] else { return }
        if let splice = target.removingEntry(key) {
            splices.append(splice)
            changes.append(Change(kind: kind, subject: subject, file: relativePath, line: value.location.line,
                                  column: value.location.column, field: value.pathDescription, from: value.resolved.string, to: ""))
        } else {
            try set(value, to: "", kind: kind, subject: subject)
        }
    }

    /// Notes that this file references `subject` where nothing is to be changed (an
    /// untagged image floats on purpose).
    mutating func referenced(_ subject: String) {
        found.insert(subject)
    }

    /// `subject`: the image or chart the warning is about, which this file does reference.
    mutating func warn(_ message: String, at node: Node? = nil, subject: String? = nil) {
        if let subject { found.insert(subject) }
        warnings.append(EditWarning(file: relativePath, line: node?.location.line, message: message))
    }

    /// A new scalar's text: plain when it reads back as intended, else double-quoted.
    static func render(_ value: String, type: ScalarType, file: YAMLFile, flow: Bool) -> [UInt8] {
        if type != .string { return Array(value.utf8) }
        if !file.isJSON, ScalarText.canBePlain(value, inFlow: flow), ScalarType.resolvePlain(value) == .string {
            return Array(value.utf8)
        }
        return ScalarText.doubleQuoted(value)
    }
}
