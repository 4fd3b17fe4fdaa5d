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

    let scalars: [Unicode.Scalar]
    var position = 0
    var flags = Flags()

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

    var atEnd: Bool { position >= scalars.count }
    var current: Unicode.Scalar? { atEnd ? nil : scalars[position] }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
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
    var previousWasRepetition = false

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

    func text(from start: Int) -> String {
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

    func fold(_ characters: CharacterClass) -> CharacterClass {
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
}
