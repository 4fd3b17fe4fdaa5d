import ArgumentParser
import Foundation
import Steps

extension OutputFormat: ExpressibleByArgument {}

/// Prints an outcome: text or JSON to stdout, and its notes ("pushed 1a2b3c4 to …",
/// warnings) on stderr either way, so a CI log reads the same whichever a job captures.
func emit(_ outcome: some Outcome, as format: OutputFormat) {
    switch format {
    case .text:
        if !outcome.text.isEmpty { StandardOutput.write(outcome.text) }
    case .json:
        StandardOutput.write(outcome.json)
    }
    Terminal.note(outcome.notes.joined(separator: "\n"))
}

/// Runs a throwing piece of work, turning its typed error into a `CapstanFailure`.
func failing<T, E: Error & CustomStringConvertible>(_ work: () throws(E) -> T) throws -> T {
    do {
        return try work()
    } catch {
        throw CapstanFailure(message: error.description)
    }
}
