import Foundation

/// What others say, made fit to print: a forge's or a reconciler's words (a PR's title,
/// a branch name, an error message, an Argo CD condition, a Flux Ready message, a commit
/// status's description) reach a terminal, a CI log, `--output json` and `$GITHUB_OUTPUT`,
/// and whoever controls the answer (a hostile server, anyone who can open a PR, post a
/// status or break an app) controls them, so they are one printable line.
///
/// The one place this is decided, below every module that prints such words (Forges,
/// Reconcilers, Steps), so that each of them makes words printable the same way.
public enum ForeignWords {
    /// `text` with each control character (ESC, BEL, backspace, CR, newlines, C1) and bidi
    /// override or isolate turned into a space: a hostile answer's words must not rewrite
    /// the terminal or CI log they are printed to, nor start a line of their own there.
    public static func printable(_ text: some StringProtocol) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let hidden = scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value)
                || (0x2066...0x2069).contains(scalar.value)
            scalars.append(hidden ? " " : scalar)
        }
        return String(scalars)
    }

    /// The one rule for hiding what Capstan sent (a token, a receiver's secret path) in what a
    /// server says back: each secret of at least 8 characters (shorter would mask ordinary
    /// words, and no real token is that short), longest first so a header value is masked
    /// whole before its parts, matched code point by code point (`.literal`: matched by whole
    /// characters, a secret echoed with a combining mark after it ends inside a grapheme and
    /// went unmasked). Hand it to `line` or `plainText`, which apply it before any cut.
    public static func masking(_ secrets: [String]) -> @Sendable (String) -> String {
        let secrets = secrets.filter { $0.count >= 8 }.sorted { $0.count > $1.count }
        return { text in secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***", options: .literal) } }
    }

    /// A text answer (bitbucket.org's 401 is six lines of plain text) on one line: its lines
    /// joined, cut at a line's end and marked "…" within `limit` characters, so a URL it
    /// names is never cut short into another; a first line longer than that is cut at a
    /// space. The whole body is masked before any cut: a secret cut first would be shown in part.
    public static func plainText(_ body: Data, limit: Int = 300, masking mask: (String) -> String = { $0 }) -> String {
        line(String(decoding: body, as: UTF8.self), limit: limit, masking: mask)
    }

    /// Any text from an answer (a JSON error's `message`, a PR's title, an Argo CD condition,
    /// each of which a hostile server can make megabytes long) on one printable line of at
    /// most `limit` characters, "…" included, masked before it is cut as `plainText` cuts.
    /// Words already made so come back unchanged, so making them so twice does no harm.
    /// At most `limit * 16` code points are read, not characters: one character (a grapheme)
    /// may hold a million combining marks, and a cut by characters alone showed them all.
    public static func line(_ text: String, limit: Int = 300, masking mask: (String) -> String = { $0 }) -> String {
        let masked = mask(text)
        let read = Substring(masked.unicodeScalars.prefix(limit * 16))
        let lines = read.split(whereSeparator: \.isNewline)
            .map { printable($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let whole = lines.joined(separator: " ")
        if whole.count <= limit, read.endIndex == masked.endIndex { return whole }
        let room = max(limit - 2, 1)
        var text = ""
        for line in lines {
            let joined = text.isEmpty ? line : text + " " + line
            guard joined.count > room else {
                text = joined
                continue
            }
            if text.isEmpty {
                let head = line.prefix(room)
                text = String(head[..<(head.lastIndex(of: " ") ?? head.endIndex)]).trimmingCharacters(in: .whitespaces)
            }
            break
        }
        return text.isEmpty ? "…" : text + " …"
    }
}
