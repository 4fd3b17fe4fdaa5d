/// A parsed `pattern`, in the syntax Kubernetes accepts: Go's RE2 (the API server compiles
/// every CRD `pattern` with Go's `regexp`, and kubeconform checks with it too). RE2 has no
/// backreferences or lookaround, which is what lets `RegexProgram` match in linear time:
/// a pattern in a pull request's CRD cannot stall a pre-merge check.
indirect enum RegexNode: Equatable {
    case empty
    case characters(CharacterClass)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int?)
    case assertion(RegexAssertion)
}

/// Zero-width conditions on the position between two characters.
enum RegexAssertion: Equatable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
}

/// Why a pattern is not one Go's `regexp` compiles, with the offending text.
struct RegexSyntaxError: Error, Equatable {
    let reason: String
}

/// A set of Unicode scalars: ranges and Unicode general categories (`\pL`, `\PN`), possibly
/// negated as a whole (`[^…]`).
struct CharacterClass: Equatable {
    /// `\p{…}` (or `\P{…}` when `negated`): the scalars whose category is (not) a member.
    struct CategoryTerm: Equatable {
        let members: Set<Unicode.GeneralCategory>
        let negated: Bool
    }

    var ranges: [ClosedRange<UInt32>] = []
    var categoryTerms: [CategoryTerm] = []
    var negated = false

    static func single(_ scalar: UInt32) -> CharacterClass { CharacterClass(ranges: [scalar...scalar]) }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        var inside = false
        for range in ranges where range.contains(value) {
            inside = true
            break
        }
        if !inside, !categoryTerms.isEmpty {
            let category = scalar.properties.generalCategory
            inside = categoryTerms.contains { $0.members.contains(category) != $0.negated }
        }
        return inside != negated
    }

    /// Adds the other case of every ASCII letter and of non-ASCII scalars with a one-scalar
    /// simple mapping, as `(?i)` asks (ranges wider than 512 scalars fold their ASCII part only).
    func caseFolded() -> CharacterClass {
        var folded = self
        for range in ranges {
            // ClosedRange.clamped(to:) of disjoint ranges is a one-element range, not nothing.
            func overlap(_ other: ClosedRange<UInt32>) -> ClosedRange<UInt32>? {
                range.overlaps(other) ? range.clamped(to: other) : nil
            }
            if let upper = overlap(0x41...0x5A) { folded.ranges.append((upper.lowerBound + 0x20)...(upper.upperBound + 0x20)) }
            if let lower = overlap(0x61...0x7A) { folded.ranges.append((lower.lowerBound - 0x20)...(lower.upperBound - 0x20)) }
            // The two ASCII letters whose case orbit leaves ASCII: k K K (Kelvin), s S ſ.
            if range.contains(0x6B) || range.contains(0x4B) { folded.ranges.append(0x212A...0x212A) }
            if range.contains(0x73) || range.contains(0x53) { folded.ranges.append(0x17F...0x17F) }
            guard range.upperBound > 0x7F, range.count <= 512 else { continue }
            for value in max(range.lowerBound, 0x80)...range.upperBound {
                guard let scalar = Unicode.Scalar(value) else { continue }
                for mapping in [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping] {
                    let scalars = mapping.unicodeScalars
                    if scalars.count == 1, let other = scalars.first { folded.ranges.append(other.value...other.value) }
                }
            }
        }
        return folded
    }
}
