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
/// negated as a whole (`[^…]`, `\W`). Case folding is applied when the class is built
/// (ranges gain their case orbits; a category term is marked to be judged over the orbit),
/// before any negation, as Go does.
struct CharacterClass: Equatable, Sendable {
    /// `\p{…}` (or `\P{…}` when `negated`): the scalars whose category is (not) a member;
    /// under `(?i)`, a scalar is a member when any scalar of its case orbit is.
    struct CategoryTerm: Equatable, Sendable {
        let members: Set<Unicode.GeneralCategory>
        let negated: Bool
        var folded = false

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            var inside = members.contains(scalar.properties.generalCategory)
            if !inside, folded, let orbit = CaseOrbits.orbit(of: scalar.value) {
                inside = orbit.contains { Unicode.Scalar($0).map { members.contains($0.properties.generalCategory) } ?? false }
            }
            return inside != negated
        }
    }

    var ranges: [ClosedRange<UInt32>] = []
    var categoryTerms: [CategoryTerm] = []
    var negated = false

    static func single(_ scalar: UInt32) -> CharacterClass { CharacterClass(ranges: [scalar...scalar]) }

    /// Membership by binary search: call on a `normalised()` class.
    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value { low = middle + 1 } else { high = middle }
        }
        var inside = low < ranges.count && ranges[low].lowerBound <= value
        if !inside, !categoryTerms.isEmpty { inside = categoryTerms.contains { $0.contains(scalar) } }
        return inside != negated
    }

    /// The ranges sorted and merged (what `contains` searches), the terms without repeats.
    func normalised() -> CharacterClass {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        var terms: [CategoryTerm] = []
        for term in categoryTerms where !terms.contains(term) { terms.append(term) }
        return CharacterClass(ranges: merged, categoryTerms: terms, negated: negated)
    }

    /// Adds the case orbit of every member, as `(?i)` asks (Go's simple folding); the
    /// negation, if any, then applies to the folded set.
    func caseFolded() -> CharacterClass {
        var folded = self
        for range in ranges {
            for value in CaseOrbits.partners(in: range) { folded.ranges.append(value...value) }
        }
        folded.categoryTerms = categoryTerms.map { term in
            var term = term
            term.folded = true
            return term
        }
        return folded.normalised()
    }
}
