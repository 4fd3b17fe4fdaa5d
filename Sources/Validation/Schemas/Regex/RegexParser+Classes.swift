/// The parts of `RegexParser` that read characters: escapes (Perl, Unicode and POSIX
/// classes, hex and octal), bracket classes, and how a negated item joins a class.
extension RegexParser {
    // MARK: Escapes

    mutating func parseEscapeAtom() throws(RegexSyntaxError) -> [RegexNode] {
        let start = position
        position += 1
        guard let scalar = current else { throw RegexSyntaxError(reason: "trailing backslash at end of expression") }
        switch scalar {
        case "A": position += 1; return [.assertion(.beginText)]
        case "z": position += 1; return [.assertion(.endText)]
        case "b": position += 1; return [.assertion(.wordBoundary)]
        case "B": position += 1; return [.assertion(.notWordBoundary)]
        case "Q":
            // Literal text up to \E or the end.
            position += 1
            var items: [RegexNode] = []
            while let literal = current, !(literal == "\\" && peek(1) == "E") {
                items.append(.characters(fold(.single(literal.value))))
                position += 1
            }
            if current == "\\" { position += 2 }
            return items
        default:
            position = start
            return [.characters(fold(try parseEscapedClass()))]
        }
    }

    /// An escape at the current `\` that stands for characters: a Perl class, a Unicode
    /// class, a control or hex/octal character, or escaped punctuation.
    private mutating func parseEscapedClass() throws(RegexSyntaxError) -> CharacterClass {
        let start = position
        position += 1
        guard let scalar = current else { throw RegexSyntaxError(reason: "trailing backslash at end of expression") }
        position += 1
        switch scalar {
        case "d", "D": return CharacterClass(ranges: [0x30...0x39], negated: scalar == "D")
        case "w", "W": return CharacterClass(ranges: Self.wordRanges, negated: scalar == "W")
        case "s", "S": return CharacterClass(ranges: [0x09...0x0A, 0x0C...0x0D, 0x20...0x20], negated: scalar == "S")
        case "p", "P": return try parseUnicodeClass(negated: scalar == "P", start: start)
        case "a": return .single(0x07)
        case "f": return .single(0x0C)
        case "t": return .single(0x09)
        case "n": return .single(0x0A)
        case "r": return .single(0x0D)
        case "v": return .single(0x0B)
        case "x": return .single(try parseHex(start: start))
        case "0"..."7":
            // Octal: \0 alone or with up to two more digits; \1-\7 alone is a backreference.
            if scalar != "0", !(current.map { ("0"..."7").contains($0) } ?? false) {
                throw RegexSyntaxError(reason: "invalid escape sequence \(text(from: start)) (Go has no backreferences)")
            }
            var value = Int(scalar.value) - 0x30
            for _ in 0..<2 {
                guard let digit = current, ("0"..."7").contains(digit) else { break }
                value = value * 8 + Int(digit.value) - 0x30
                position += 1
            }
            return .single(UInt32(value))
        default:
            // Go allows escaping any ASCII punctuation, nothing else.
            if scalar.isASCII, !("a"..."z").contains(scalar), !("A"..."Z").contains(scalar), !("0"..."9").contains(scalar) {
                return .single(scalar.value)
            }
            throw RegexSyntaxError(reason: "invalid escape sequence \(text(from: start))")
        }
    }

    static let wordRanges: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]

    /// `\xHH` (exactly two hex digits) or `\x{H…}` (at least one, at most U+10FFFF), as Go reads them.
    private mutating func parseHex(start: Int) throws(RegexSyntaxError) -> UInt32 {
        func hexDigit(_ scalar: Unicode.Scalar?) -> UInt32? {
            guard let scalar else { return nil }
            switch scalar {
            case "0"..."9": return scalar.value - 0x30
            case "a"..."f": return scalar.value - 0x61 + 10
            case "A"..."F": return scalar.value - 0x41 + 10
            default: return nil
            }
        }
        let invalid = RegexSyntaxError(reason: "invalid escape sequence \(text(from: start))")
        if current == "{" {
            position += 1
            var value: UInt32 = 0, digits = 0
            while current != "}" {
                guard let digit = hexDigit(current) else { throw invalid }
                value = value * 16 + digit
                guard value <= 0x10FFFF else { throw invalid }
                digits += 1
                position += 1
            }
            position += 1
            guard digits > 0 else { throw invalid }
            return value
        }
        guard let high = hexDigit(current), let low = hexDigit(peek(1)) else { throw invalid }
        position += 2
        return high * 16 + low
    }

    private mutating func parseUnicodeClass(negated: Bool, start: Int) throws(RegexSyntaxError) -> CharacterClass {
        var name = ""
        if current == "{" {
            position += 1
            while let scalar = current, scalar != "}" {
                name.unicodeScalars.append(scalar)
                position += 1
            }
            guard current == "}" else { throw RegexSyntaxError(reason: "invalid character class range \(text(from: start))") }
            position += 1
        } else if let scalar = current {
            name.unicodeScalars.append(scalar)
            position += 1
        }
        var negated = negated
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        if name == "Any" { return CharacterClass(negated: !negated) }
        guard let members = UnicodeCategories.members(of: name) else {
            throw RegexSyntaxError(reason: "invalid or unsupported character class \(text(from: start)) (Capstan knows general categories, not scripts)")
        }
        return CharacterClass(categoryTerms: [.init(members: members, negated: negated)])
    }

    // MARK: Bracket classes

    /// `[…]`: ranges, escapes, Perl and POSIX classes; `]` first is literal, as in Go.
    mutating func parseBracketClass() throws(RegexSyntaxError) -> CharacterClass {
        let start = position
        position += 1
        var result = CharacterClass()
        if current == "^" {
            result.negated = true
            position += 1
        }
        var first = true
        while true {
            guard let scalar = current else { throw RegexSyntaxError(reason: "missing closing ] in \(text(from: start))") }
            if scalar == "]", !first { break }
            first = false
            // Each item is case-folded as it is added, before a negated item's complement (Go's order).
            if scalar == "[", peek(1) == ":", let posix = try parsePOSIXClass() {
                result.merge(fold(posix))
                continue
            }
            let low: UInt32
            if scalar == "\\" {
                let escaped = try parseEscapedClass()
                guard escaped.isSingle, let value = escaped.ranges.first?.lowerBound else {
                    result.merge(fold(escaped))
                    continue
                }
                low = value
            } else {
                low = scalar.value
                position += 1
            }
            var high = low
            if current == "-", let next = peek(1), next != "]" {
                position += 1
                if next == "\\" {
                    let escaped = try parseEscapedClass()
                    guard escaped.isSingle, let value = escaped.ranges.first?.lowerBound else {
                        throw RegexSyntaxError(reason: "invalid character class range \(text(from: start))")
                    }
                    high = value
                } else {
                    high = next.value
                    position += 1
                }
                guard low <= high else { throw RegexSyntaxError(reason: "invalid character class range \(text(from: start))") }
            }
            result.merge(fold(CharacterClass(ranges: [low...high])))
        }
        position += 1
        return result.normalised()
    }

    /// `[:alpha:]` or `[:^alpha:]` inside a bracket class; nil (nothing consumed) when the
    /// text is not one.
    private mutating func parsePOSIXClass() throws(RegexSyntaxError) -> CharacterClass? {
        // As Go: the name runs to the first ":]" after "[:", wherever it is; none, no class.
        var cursor = position + 2
        while cursor + 1 < scalars.count, !(scalars[cursor] == ":" && scalars[cursor + 1] == "]") { cursor += 1 }
        guard cursor + 1 < scalars.count else { return nil }
        var name = String(String.UnicodeScalarView(scalars[(position + 2)..<cursor]))
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        guard let ranges = Self.posixClasses[name] else {
            throw RegexSyntaxError(reason: "invalid character class range [:\(negated ? "^" : "")\(name):]")
        }
        position = cursor + 2
        return CharacterClass(ranges: ranges, negated: negated)
    }

    static let posixClasses: [String: [ClosedRange<UInt32>]] = [
        "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A], "alpha": [0x41...0x5A, 0x61...0x7A], "ascii": [0x00...0x7F],
        "blank": [0x09...0x09, 0x20...0x20], "cntrl": [0x00...0x1F, 0x7F...0x7F], "digit": [0x30...0x39],
        "graph": [0x21...0x7E], "lower": [0x61...0x7A], "print": [0x20...0x7E],
        "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E], "space": [0x09...0x0D, 0x20...0x20],
        "upper": [0x41...0x5A], "word": wordRanges, "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
    ]
}

extension CharacterClass {
    /// One scalar, not negated: usable as a range end inside brackets.
    var isSingle: Bool { !negated && categoryTerms.isEmpty && ranges.count == 1 && ranges[0].count == 1 }

    /// Adds `other` to this (not negated) bracket's members; a negated `other` (`\D`, `[:^alpha:]`)
    /// is expanded to its complement ranges first.
    mutating func merge(_ other: CharacterClass) {
        categoryTerms += other.categoryTerms.map { other.negated ? .init(members: $0.members, negated: !$0.negated) : $0 }
        ranges += other.negated ? Self.complement(of: other.ranges) : other.ranges
    }

    static func complement(of ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = max(next, range.upperBound &+ 1)
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        return result
    }
}
