import Foundation

/// The person a commit names as its author or committer: `Name <email>` and, when it is
/// fixed in advance (a signed commit signs the committer's time), the moment they acted.
/// A person with no time is stamped with the moment the commit is written.
public struct CommitPerson: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let email: String
    /// Seconds since 1970; nil: the moment the commit is written.
    public let time: Int?
    /// Offset from UTC in minutes, for `time`.
    public let offsetMinutes: Int

    public init(name: String, email: String, time: Int? = nil, offsetMinutes: Int = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    /// Parses `Name <email>` (as `--author` and `.capstan.yaml`'s `commit.author` give it).
    public init(parsing text: String) throws(CommitPersonError) {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else {
            throw CommitPersonError(text: text, problem: .noEmail)
        }
        let name = Self.trimmingSpaces(text[..<open])
        let email = String(text[text.index(after: open)..<close])
        guard !name.isEmpty else { throw CommitPersonError(text: text, problem: .noName) }
        guard email.contains("@"), !email.contains(" ") else { throw CommitPersonError(text: text, problem: .badEmail(email)) }
        self.init(name: name, email: email)
    }

    /// The same person at `time` (seconds since 1970), keeping the offset.
    public func at(_ time: Int) -> CommitPerson {
        CommitPerson(name: name, email: email, time: time, offsetMinutes: offsetMinutes)
    }

    public var description: String { "\(name) <\(email)>" }

    private static func trimmingSpaces(_ text: Substring) -> String {
        var text = text
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
