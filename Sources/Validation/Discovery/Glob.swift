/// A shell-style pattern over `/`-separated paths: `*` and `?` stay within one path
/// component, `**` crosses them, `[abc]` is a class. Used for --include, --exclude and
/// .gitignore lines.
public struct Glob: Sendable {
    private let pattern: [Character]

    public init(_ pattern: String) {
        self.pattern = Array(pattern)
    }

    public func matches(_ path: String) -> Bool {
        Self.match(pattern[...], Array(path)[...])
    }

    private static func match(_ pattern: ArraySlice<Character>, _ text: ArraySlice<Character>) -> Bool {
        var p = pattern.startIndex
        var t = text.startIndex
        while p < pattern.endIndex {
            let c = pattern[p]
            if c == "*" {
                let double = p + 1 < pattern.endIndex && pattern[p + 1] == "*"
                var next = p + (double ? 2 : 1)
                // `**/` also matches no directory at all.
                if double, next < pattern.endIndex, pattern[next] == "/" {
                    if match(pattern[(next + 1)...], text[t...]) { return true }
                    next += 1
                }
                var k = t
                while true {
                    if match(pattern[next...], text[k...]) { return true }
                    guard k < text.endIndex, double || text[k] != "/" else { return false }
                    k += 1
                }
            }
            guard t < text.endIndex else { return false }
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
            } else if c == "\\", p + 1 < pattern.endIndex {
                p += 1
                guard pattern[p] == text[t] else { return false }
            } else {
                guard c == text[t] else { return false }
            }
            p += 1
            t += 1
        }
        return t == text.endIndex
    }
}
