extension Verdict {
    /// True when `email` is one of the signing key's identities: an e-mail in an OpenPGP
    /// user ID, or a principal pattern of an SSH allowed_signers entry.
    public func identityMatches(email: String) -> Bool {
        let wanted = email.lowercased()
        switch format {
        case .openPGP:
            return identities.contains { userID in
                let text = userID.lowercased()
                if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
                    return String(text[text.index(after: open)..<close]) == wanted
                }
                return text.trimmingCharacters(in: " ") == wanted
            }
        case .ssh:
            return PrincipalPattern.matches(wanted, patterns: identities.map { $0.lowercased() })
        case nil:
            return false
        }
    }
}
