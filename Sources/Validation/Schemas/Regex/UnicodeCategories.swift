/// The Unicode general categories `\p{…}` names, one or two letters as in Go's `unicode`
/// tables. Scripts (`\p{Greek}`) are not known to Swift's standard library and are refused.
enum UnicodeCategories {
    static func members(of name: String) -> Set<Unicode.GeneralCategory>? {
        if name.count == 1 {
            let members = all.filter { $0.key.hasPrefix(name) }.map(\.value)
            return members.isEmpty ? nil : Set(members)
        }
        return all[name].map { [$0] }
    }

    private static let all: [String: Unicode.GeneralCategory] = [
        "Lu": .uppercaseLetter, "Ll": .lowercaseLetter, "Lt": .titlecaseLetter, "Lm": .modifierLetter, "Lo": .otherLetter,
        "Mn": .nonspacingMark, "Mc": .spacingMark, "Me": .enclosingMark,
        "Nd": .decimalNumber, "Nl": .letterNumber, "No": .otherNumber,
        "Pc": .connectorPunctuation, "Pd": .dashPunctuation, "Ps": .openPunctuation, "Pe": .closePunctuation,
        "Pi": .initialPunctuation, "Pf": .finalPunctuation, "Po": .otherPunctuation,
        "Sm": .mathSymbol, "Sc": .currencySymbol, "Sk": .modifierSymbol, "So": .otherSymbol,
        "Zs": .spaceSeparator, "Zl": .lineSeparator, "Zp": .paragraphSeparator,
        "Cc": .control, "Cf": .format, "Cs": .surrogate, "Co": .privateUse,
    ]
}
