import ArgumentParser
import Git

/// The person `--author "Name <email>"` names; bad text is a usage error that quotes it
/// and says what is wrong, raised from `validate()` before anything runs.
func authorPerson(_ text: String) throws -> CommitPerson {
    do {
        return try CommitPerson(parsing: text)
    } catch {
        throw ValidationError("--author \(error)")
    }
}
