import YAML

/// How much a finding matters. Errors fail the run (exit 1); warnings and notes are printed.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case error, warning, info

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! > allCases.firstIndex(of: rhs)!
    }
}

/// One problem, pinned to the node that causes it.
public struct Finding: Sendable, Hashable, Codable {
    public let file: String
    public let line: Int
    public let column: Int
    /// A rule id from `RuleCatalog` (`schema` for schema violations).
    public let rule: String
    public let severity: Severity
    public let message: String
    /// For schema findings: the failing keyword's place in the schema.
    public let schemaPath: String?
    /// `Kind/namespace/name` of the resource, when the finding belongs to one.
    public let resource: String?
    /// One line saying how to fix it.
    public let hint: String?
    /// For schema findings: keys and indices from the document root to the offending node.
    public let path: [String]?

    public init(at location: SourceLocation, rule: RuleID, severity: Severity? = nil, message: String,
                schemaPath: String? = nil, resource: String? = nil, hint: String? = nil, path: [String]? = nil) {
        file = location.file
        line = location.line
        column = location.column
        self.rule = rule.rawValue
        self.severity = severity ?? rule.defaultSeverity
        self.message = message
        self.schemaPath = schemaPath
        self.resource = resource
        self.hint = hint ?? rule.hint
        self.path = path
    }

    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    /// `file:line:column: severity rule: message`
    public var text: String {
        var line = "\(location): \(severity.rawValue) [\(rule)] "
        if let resource { line += "\(resource): " }
        line += message
        if let schemaPath { line += " (schema: \(schemaPath))" }
        return line
    }

    func with(severity: Severity) -> Finding {
        Finding(at: location, rule: RuleID(rawValue: rule) ?? .schema, severity: severity, message: message,
                schemaPath: schemaPath, resource: resource, hint: hint, path: path)
    }
}
