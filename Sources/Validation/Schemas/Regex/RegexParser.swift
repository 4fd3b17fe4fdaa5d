/// Parses a `pattern` as Go's `regexp.Compile` does (RE2 syntax, Perl flags: `^`/`$` at the
/// ends of the text unless `(?m)`, `.` not matching a newline unless `(?s)`, `\d \w \s` ASCII).
/// What Go refuses (backreferences, lookaround, `**`, counts above 1000) is refused here, so a
/// CRD Capstan accepts is one the API server accepts.
struct RegexParser {
    /// The `(?imsU)` flags in force; `U` (ungreedy) changes nothing a yes/no match sees.
    struct Flags {
        var caseInsensitive = false
        var multiLine = false
        var dotMatchesNewline = false
    }

    static let maximumRepeat = 1000

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var flags = Flags()

    init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    static func parse(_ pattern: String) throws(RegexSyntaxError) -> RegexNode {
        var parser = RegexParser(pattern)
        let node = try parser.parseAlternation()
        if parser.position < parser.scalars.count {
            throw RegexSyntaxError(reason: "unexpected ) at offset \(parser.position)")
        }
        return node
    }

    private var atEnd: Bool { position >= scalars.count }
    private var current: Unicode.Scalar? { atEnd ? nil : scalars[position] }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    /// Branches up to the `)` closing the current group (left unread) or the end.
    private mutating func parseAlternation() throws(RegexSyntaxError) -> RegexNode {
        var branches = [try parseConcatenation()]
        while current == "|" {
            position += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let scalar = current, scalar != "|", scalar != ")" {
            if let quantified = try parseRepetition(after: items.last) {
                items[items.count - 1] = quantified
                continue
            }
            let atoms = try parseAtom()
            // An atom that adds nothing ((?i), \Q\E) leaves the last repetition in place: a
            // repetition after it is refused as nested (Go would nest it, up to its height limit).
            if !atoms.isEmpty { previousWasRepetition = false }
            items += atoms
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    /// A `*`, `+`, `?` or `{n,m}` (with an optional lazy `?`) applied to `operand`; nil when
    /// the next text is not a repetition operator.
    private mutating func parseRepetition(after operand: RegexNode?) throws(RegexSyntaxError) -> RegexNode? {
        guard let scalar = current else { return nil }
        let start = position
        let bounds: (Int, Int?)
        switch scalar {
        case "*": bounds = (0, nil); position += 1
        case "+": bounds = (1, nil); position += 1
        case "?": bounds = (0, 1); position += 1
        case "{":
            guard let counted = try parseCount() else { return nil }  // a `{` that is no count is a literal
            bounds = counted
        default: return nil
        }
        guard let operand else {
            throw RegexSyntaxError(reason: "missing argument to repetition operator \(text(from: start))")
        }
        if case .repetition = operand, previousWasRepetition {
            throw RegexSyntaxError(reason: "invalid nested repetition operator \(text(from: start))")
        }
        if current == "?" { position += 1 }
        if bounds.0 > Self.maximumRepeat || (bounds.1 ?? 0) > Self.maximumRepeat {
            throw RegexSyntaxError(reason: "invalid repeat count \(text(from: start))")
        }
        previousWasRepetition = true
        let repetition = RegexNode.repetition(operand, min: bounds.0, max: bounds.1)
        if scalar == "{", bounds.0 >= 2 || (bounds.1 ?? 0) >= 2, !Self.repeatIsValid(repetition, Self.maximumRepeat) {
            throw RegexSyntaxError(reason: "invalid repeat count \(text(from: start))")
        }
        return repetition
    }

    /// Whether the last item came from a repetition operator (so `a**` is refused as Go
    /// refuses it, while `(a*)*` is fine).
    private var previousWasRepetition = false

    /// Go's bound on nested counts: `(a{40}){40}` repeats `a` 1,600 times and is refused, so
    /// the program (and the work of building it) stays within 1,000 copies of any piece.
    private static func repeatIsValid(_ node: RegexNode, _ budget: Int) -> Bool {
        var budget = budget
        switch node {
        case let .repetition(body, min, max):
            let count = max ?? min
            if max == 0 { return true }
            if count > budget { return false }
            if count > 0 { budget /= count }
            return repeatIsValid(body, budget)
        case let .concatenation(items): return items.allSatisfy { repeatIsValid($0, budget) }
        case let .alternation(branches): return branches.allSatisfy { repeatIsValid($0, budget) }
        case .empty, .characters, .assertion: return true
        }
    }

    /// `{n}`, `{n,}` or `{n,m}` at the current position, consumed; nil (nothing consumed) if
    /// the braces do not hold a count (`{`, `{x}`, `{,2}`, `{01}`: literal text, as in Go).
    private mutating func parseCount() throws(RegexSyntaxError) -> (Int, Int?)? {
        var cursor = position + 1
        func number() -> Int? {
            var value = 0, digits = 0
            let first = cursor
            while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]) {
                value = min(value * 10 + Int(scalars[cursor].value - 0x30), 100_000)
                digits += 1
                cursor += 1
            }
            // Go reads no number with a leading zero.
            if digits > 1, scalars[first] == "0" { return nil }
            return digits == 0 ? nil : value
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if cursor < scalars.count, scalars[cursor] == "," {
            cursor += 1
            high = cursor < scalars.count && scalars[cursor] == "}" ? nil : number()
            if high == nil, cursor < scalars.count, scalars[cursor] != "}" { return nil }
        }
        guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
        let start = position
        position = cursor + 1
        if let high, high < low { throw RegexSyntaxError(reason: "invalid repeat count \(text(from: start))") }
        return (low, high)
    }

    private func text(from start: Int) -> String {
        String(String.UnicodeScalarView(scalars[start..<min(position + 1, scalars.count)]))
    }

    /// The atoms at the current position: usually one; none for a flag group such as `(?i)`;
    /// one per character for `\Q…\E` (so `\Qab\E*` repeats the `b`, as in Go).
    private mutating func parseAtom() throws(RegexSyntaxError) -> [RegexNode] {
        guard let scalar = current else { return [] }
        switch scalar {
        case "(": return try parseGroup().map { [$0] } ?? []
        case "[":
            return [.characters(try parseBracketClass())]
        case ".":
            position += 1
            return [.characters(flags.dotMatchesNewline
                ? CharacterClass(negated: true) : CharacterClass(ranges: [0x0A...0x0A], negated: true))]
        case "^":
            position += 1
            return [.assertion(flags.multiLine ? .beginLine : .beginText)]
        case "$":
            position += 1
            return [.assertion(flags.multiLine ? .endLine : .endText)]
        case "\\":
            return try parseEscapeAtom()
        default:
            position += 1
            return [.characters(fold(.single(scalar.value)))]
        }
    }

    private func fold(_ characters: CharacterClass) -> CharacterClass {
        flags.caseInsensitive ? characters.caseFolded() : characters
    }

    /// Go refuses capturing groups nested deeper than this (its syntax tree may be 1,000 high); it also bounds the parser's recursion, so
    /// a pattern of a million `(` is an error, not a stack overflow.
    static let maximumNesting = 999
    private var nesting = 0

    private mutating func parseGroup() throws(RegexSyntaxError) -> RegexNode? {
        let start = position
        position += 1
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maximumNesting else { throw RegexSyntaxError(reason: "expression nests too deeply") }
        let saved = flags
        if current == "?" {
            position += 1
            switch current {
            case "P", "<":
                // A named group: (?P<name>re) or (?<name>re).
                if current == "P" { position += 1 }
                guard current == "<" else { throw RegexSyntaxError(reason: "invalid or unsupported Perl syntax \(text(from: start))") }
                position += 1
                if current == "=" || current == "!" {
                    throw RegexSyntaxError(reason: "invalid or unsupported Perl syntax \(text(from: start)) (Go has no lookbehind)")
                }
                var name = ""
                while let scalar = current, scalar != ">" {
                    name.unicodeScalars.append(scalar)
                    position += 1
                }
                // Go: a name of ASCII letters, digits and `_` (repeating a name is allowed).
                let valid = !name.isEmpty && name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
                guard current == ">", valid else { throw RegexSyntaxError(reason: "invalid named capture \(text(from: start))") }
                position += 1
            default:
                // Flags: (?flags) for the rest of this group, or (?flags:re).
                var enable = true, sawFlagAfterMinus = false
                while let scalar = current, scalar != ")", scalar != ":" {
                    switch scalar {
                    case "i": flags.caseInsensitive = enable
                    case "m": flags.multiLine = enable
                    case "s": flags.dotMatchesNewline = enable
                    case "U": break
                    case "-" where enable: enable = false
                    default: throw RegexSyntaxError(reason: "invalid or unsupported Perl syntax \(text(from: start)) (Go has no lookaround)")
                    }
                    if !enable, scalar != "-" { sawFlagAfterMinus = true }
                    position += 1
                }
                guard let end = current else { throw RegexSyntaxError(reason: "missing closing ) in \(text(from: start))") }
                if !enable, !sawFlagAfterMinus { throw RegexSyntaxError(reason: "invalid or unsupported Perl syntax \(text(from: start))") }
                position += 1
                if end == ")" { return nil }  // the flags stay in force to the end of the enclosing group
            }
        }
        let inner = try parseAlternation()
        guard current == ")" else { throw RegexSyntaxError(reason: "missing closing ) for the group at offset \(start)") }
        position += 1
        flags = saved
        return inner
    }

    // MARK: Escapes

    private mutating func parseEscapeAtom() throws(RegexSyntaxError) -> [RegexNode] {
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
    private mutating func parseBracketClass() throws(RegexSyntaxError) -> CharacterClass {
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
