/// A shell-style pattern over `/`-separated paths: `*` and `?` stay within one path
/// component, `**` crosses them, `[abc]` is a class. Used for --include, --exclude and
/// .gitignore lines.
public struct Glob: Sendable {
    private let pattern: [Character]

    public init(_ pattern: String) {
        self.pattern = Array(pattern)
    }

    public func matches(_ path: String) -> Bool {
        var matcher = Matcher(pattern: pattern, text: Array(path))
        return matcher.match(0, 0)
    }

    /// Backtracking over the stars, remembering every (pattern, text) position already
    /// known not to match: a .gitignore in the tree under test is hostile, and without the
    /// memo `*a*a*a*a*a*a*a*a*b` against a long name takes exponential time.
    private struct Matcher {
        let pattern: [Character]
        let text: [Character]
        var failed = Set<Int>()

        mutating func match(_ patternStart: Int, _ textStart: Int) -> Bool {
            let key = patternStart * (text.count + 1) + textStart
            if failed.contains(key) { return false }
            if run(patternStart, textStart) { return true }
            failed.insert(key)
            return false
        }

        private mutating func run(_ patternStart: Int, _ textStart: Int) -> Bool {
            var p = patternStart
            var t = textStart
            while p < pattern.count {
                let c = pattern[p]
                if c == "*" {
                    let double = p + 1 < pattern.count && pattern[p + 1] == "*"
                    var next = p + (double ? 2 : 1)
                    // `**/` also matches no directory at all.
                    if double, next < pattern.count, pattern[next] == "/" {
                        if match(next + 1, t) { return true }
                        next += 1
                    }
                    var k = t
                    while true {
                        if match(next, k) { return true }
                        guard k < text.count, double || text[k] != "/" else { return false }
                        k += 1
                    }
                }
                guard t < text.count else { return false }
                if c == "?" {
                    guard text[t] != "/" else { return false }
                } else if c == "[", let close = pattern[(p + 1)...].firstIndex(of: "]") {
                    var members = pattern[(p + 1)..<close]
                    let negated = members.first == "!" || members.first == "^"
                    if negated { members = members.dropFirst() }
                    var found = false
                    var i = members.startIndex
                    while i < members.endIndex {
                        if i + 2 < members.endIndex, members[i + 1] == "-" {
                            if members[i] <= text[t] && text[t] <= members[i + 2] { found = true }
                            i += 3
                        } else {
                            if members[i] == text[t] { found = true }
                            i += 1
                        }
                    }
                    guard found != negated else { return false }
                    p = close
                } else if c == "\\", p + 1 < pattern.count {
                    p += 1
                    guard pattern[p] == text[t] else { return false }
                } else {
                    guard c == text[t] else { return false }
                }
                p += 1
                t += 1
            }
            return t == text.count
        }
    }
}
