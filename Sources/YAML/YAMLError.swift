/// A place in a source file, 1-based, as editors and CI annotations count it.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// Everything that can go wrong while reading or editing YAML. Each case names the file
/// and, where there is one, the position, so a person can go straight to the problem.
public enum YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libyaml refused the text; `problem` is libyaml's own words.
    case syntax(at: SourceLocation, problem: String, context: String?)
    /// An alias (`*name`) that no earlier anchor defines.
    case unknownAlias(at: SourceLocation, name: String)
    /// Collections nested deeper than the limit (a guard against stack exhaustion).
    case tooDeep(at: SourceLocation, limit: Int)
    /// More nodes than the limit (a guard against memory exhaustion).
    case tooManyNodes(file: String, limit: Int)
    /// A file larger than the limit.
    case tooLarge(file: String, bytes: Int, limit: Int)
    /// UTF-16 or UTF-32 input; manifests are UTF-8.
    case unsupportedEncoding(file: String, encoding: String)
    /// Two edits want to change overlapping bytes differently.
    case conflictingEdits(at: SourceLocation)
    /// An edit produced text that does not read back as intended (a bug guard: nothing is written).
    case editDidNotRoundTrip(at: SourceLocation, expected: String, found: String)
    /// A structural edit that cannot be expressed in this spot (for example a key added to a scalar).
    case cannotEdit(at: SourceLocation, reason: String)

    public var description: String { "\(place): \(reason)" }

    /// Where the problem is: `file:line:column`, or the file alone when it has no position.
    public var place: String {
        switch self {
        case let .syntax(at, _, _), let .unknownAlias(at, _), let .tooDeep(at, _), let .conflictingEdits(at),
             let .editDidNotRoundTrip(at, _, _), let .cannotEdit(at, _):
            at.description
        case let .tooManyNodes(file, _), let .tooLarge(file, _, _), let .unsupportedEncoding(file, _):
            file
        }
    }

    /// What is wrong, without the place: for reports that print the place themselves
    /// (`file:line:column: error [yaml-syntax] <reason>`), so it is not said twice.
    public var reason: String {
        switch self {
        case let .syntax(_, problem, context):
            if let context, !context.isEmpty { return "\(problem) (\(context))" }
            return problem
        case let .unknownAlias(_, name):
            return "alias *\(name) refers to no anchor defined before it"
        case let .tooDeep(_, limit):
            return "collections nested more than \(limit) levels deep"
        case let .tooManyNodes(_, limit):
            return "more than \(limit) YAML nodes; refusing to read further"
        case let .tooLarge(_, bytes, limit):
            return "\(bytes) bytes is larger than the \(limit)-byte limit for one YAML file"
        case let .unsupportedEncoding(_, encoding):
            return "\(encoding) text; convert the file to UTF-8"
        case .conflictingEdits:
            return "two edits change the same bytes differently"
        case let .editDidNotRoundTrip(_, expected, found):
            return "edit would read back as \(found), not \(expected); nothing written"
        case let .cannotEdit(_, why):
            return why
        }
    }
}
