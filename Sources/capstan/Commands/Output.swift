import ArgumentParser
import Foundation
import Steps

extension OutputFormat: ExpressibleByArgument {}

/// Prints an outcome: text to stdout with notes on stderr, or JSON alone on stdout.
func emit(_ outcome: some Outcome, as format: OutputFormat) {
    switch format {
    case .text:
        if !outcome.text.isEmpty { FileHandle.standardOutput.write(Data(outcome.text.utf8)) }
        let notes = outcome.notes
        Terminal.note(notes.joined(separator: "\n"))
    case .json:
        FileHandle.standardOutput.write(Data(outcome.json.utf8))
    }
}

/// Runs a throwing piece of work, turning its typed error into a `CapstanFailure`.
func failing<T, E: Error & CustomStringConvertible>(_ work: () throws(E) -> T) throws -> T {
    do {
        return try work()
    } catch {
        throw CapstanFailure(message: error.description)
    }
}
