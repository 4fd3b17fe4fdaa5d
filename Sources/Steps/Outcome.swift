import Foundation

/// How a step's outcome is printed.
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json
}

/// Every step ends in an outcome that prints for people and, as JSON, for machines.
public protocol Outcome: Encodable, Sendable {
    /// What a person reads on standard output.
    var text: String { get }
    /// Lines for standard error: what was done, warnings.
    var notes: [String] { get }
}

extension Outcome {
    /// The outcome as stable, sorted JSON.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
