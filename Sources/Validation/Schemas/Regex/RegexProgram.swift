/// A compiled `pattern`, run as a Pike VM: every thread advances in step over the text, so a
/// search costs at most (text length × program size) steps whatever the pattern — unlike a
/// backtracking engine (ICU, behind NSRegularExpression), where `^(a+)+$` against forty `a`
/// and a `!` runs for hours. Only "does it match anywhere" is answered; JSON Schema asks no more.
struct RegexProgram: Sendable {
    enum Instruction: Sendable {
        case characters(Int)
        case split(Int, Int)
        case jump(Int)
        case assertion(RegexAssertion)
        case match
    }

    /// Programs beyond this many instructions are refused, as Go refuses expressions too large.
    static let maximumSize = 50_000

    private(set) var instructions: [Instruction] = []
    private(set) var classes: [CharacterClass] = []
    /// Whether every match starts at the beginning of the text (`^…` without `(?m)`), so no
    /// thread needs starting anywhere else.
    private(set) var anchoredAtStart = false

    init(_ pattern: String) throws(RegexSyntaxError) {
        let node = try RegexParser.parse(pattern)
        try emit(node)
        instructions.append(.match)
        if case .assertion(.beginText)? = instructions.first { anchoredAtStart = true }
    }

    private mutating func append(_ instruction: Instruction) throws(RegexSyntaxError) {
        guard instructions.count < Self.maximumSize else { throw RegexSyntaxError(reason: "expression too large") }
        instructions.append(instruction)
    }

    private mutating func emit(_ node: RegexNode) throws(RegexSyntaxError) {
        switch node {
        case .empty:
            break
        case let .characters(characters):
            classes.append(characters.normalised())
            try append(.characters(classes.count - 1))
        case let .assertion(assertion):
            try append(.assertion(assertion))
        case let .concatenation(items):
            for item in items { try emit(item) }
        case let .alternation(branches):
            var jumpsToEnd: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index == branches.count - 1 {
                    try emit(branch)
                } else {
                    let split = instructions.count
                    try append(.split(split + 1, -1))
                    try emit(branch)
                    jumpsToEnd.append(instructions.count)
                    try append(.jump(-1))
                    instructions[split] = .split(split + 1, instructions.count)
                }
            }
            for jump in jumpsToEnd { instructions[jump] = .jump(instructions.count) }
        case let .repetition(body, min, max):
            if case .empty = body { break }  // nothing to repeat: no loop over nothing
            for _ in 0..<min { try emit(body) }
            if let max {
                // (x(x(x)?)?)?: each optional copy may end the repetition.
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(instructions.count)
                    try append(.split(instructions.count + 1, -1))
                    try emit(body)
                }
                for split in splits { instructions[split] = .split(split + 1, instructions.count) }
            } else {
                let loop = instructions.count
                try append(.split(loop + 1, -1))
                try emit(body)
                try append(.jump(loop))
                instructions[loop] = .split(loop + 1, instructions.count)
            }
        }
    }

    /// A search's answer; `tooCostly` when it would take more than `stepBudget` steps.
    enum Verdict: Equatable {
        case match, noMatch, tooCostly
    }

    /// Steps (a thread reaching an instruction at a position) one search may take: linear is
    /// not enough when a 50,000-instruction program meets a 64 MiB value, so the work is
    /// bounded too — about a second — and a value that needs more is reported, not waited for.
    static let stepBudget = 200_000_000

    /// Whether the pattern matches anywhere in `text`; a search over budget counts as no match.
    func matches(_ text: String) -> Bool { search(text) == .match }

    /// Searches `text` (not anchored, as JSON Schema says) within `budget` steps.
    func search(_ text: String, budget: Int = RegexProgram.stepBudget) -> Verdict {
        var steps = 0
        var current = ThreadList(capacity: instructions.count)
        var next = ThreadList(capacity: instructions.count)
        var stack: [Int] = []
        var scalars = text.unicodeScalars.makeIterator()
        var previous: Unicode.Scalar?
        var scalar = scalars.next()
        var atStart = true
        while true {
            if atStart || !anchoredAtStart, addThread(0, to: &current, previous, scalar, stack: &stack, steps: &steps) { return .match }
            atStart = false
            guard let consumed = scalar else { return .noMatch }
            if steps > budget { return .tooCostly }
            let following = scalars.next()
            next.clear()
            for pc in current.threads {
                guard case let .characters(index) = instructions[pc], classes[index].contains(consumed) else { continue }
                if addThread(pc + 1, to: &next, consumed, following, stack: &stack, steps: &steps) { return .match }
            }
            swap(&current, &next)
            if current.threads.isEmpty, anchoredAtStart { return .noMatch }
            previous = consumed
            scalar = following
        }
    }

    /// Follows every empty transition from `start` at the position between `previous` and
    /// `following`, adding the character-consuming instructions reached to `list`; true as
    /// soon as `match` is reached.
    private func addThread(_ start: Int, to list: inout ThreadList, _ previous: Unicode.Scalar?, _ following: Unicode.Scalar?,
                           stack: inout [Int], steps: inout Int) -> Bool {
        stack.removeAll(keepingCapacity: true)
        stack.append(start)
        while let pc = stack.popLast() {
            steps += 1
            guard list.visit(pc) else { continue }
            switch instructions[pc] {
            case .match: return true
            case .characters: list.threads.append(pc)
            case let .jump(target): stack.append(target)
            case let .split(first, second):
                stack.append(second)
                stack.append(first)
            case let .assertion(assertion):
                if Self.holds(assertion, previous, following) { stack.append(pc + 1) }
            }
        }
        return false
    }

    private static func holds(_ assertion: RegexAssertion, _ previous: Unicode.Scalar?, _ following: Unicode.Scalar?) -> Bool {
        switch assertion {
        case .beginText: previous == nil
        case .endText: following == nil
        case .beginLine: previous == nil || previous == "\n"
        case .endLine: following == nil || following == "\n"
        case .wordBoundary: isWord(previous) != isWord(following)
        case .notWordBoundary: isWord(previous) == isWord(following)
        }
    }

    /// ASCII word characters, as Go's `\b` defines them.
    private static func isWord(_ scalar: Unicode.Scalar?) -> Bool {
        guard let value = scalar?.value else { return false }
        return RegexParser.wordRanges.contains { $0.contains(value) }
    }
}

/// The threads alive at one position: each instruction at most once (what keeps the VM linear).
private struct ThreadList {
    var threads: [Int] = []
    private var visitedAt: [UInt32]
    private var generation: UInt32 = 1

    init(capacity: Int) {
        visitedAt = Array(repeating: 0, count: capacity)
        threads.reserveCapacity(capacity)
    }

    /// Marks `pc` as reached at this position; false when it already was.
    mutating func visit(_ pc: Int) -> Bool {
        if visitedAt[pc] == generation { return false }
        visitedAt[pc] = generation
        return true
    }

    mutating func clear() {
        threads.removeAll(keepingCapacity: true)
        generation &+= 1
    }
}
