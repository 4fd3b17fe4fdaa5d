/// A commit author or committer, written `Name <email>`.
public struct Identity: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    /// Parses `Name <email>`; nil when it is not of that form.
    public init?(_ text: String) {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else { return nil }
        let name = text[..<open].trimmingCharacters(in: " ")
        let email = String(text[text.index(after: open)..<close])
        guard !name.isEmpty, email.contains("@"), !email.contains(" ") else { return nil }
        self.init(name: name, email: email)
    }

    public var description: String { "\(name) <\(email)>" }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var text = self
        while text.first == set { text = text.dropFirst() }
        while text.last == set { text = text.dropLast() }
        return String(text)
    }
}
