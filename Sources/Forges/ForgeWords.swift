import Foundation
import HTTP

/// What a forge says, made fit to print: its words reach a terminal, a CI log and
/// `--output json`, and whoever controls the answer (a hostile server, anyone who can post a
/// status) controls them, so they are one printable line.
enum ForgeWords {
    /// `text` with each control character (ESC, BEL, backspace, CR, newlines, C1) and bidi
    /// override or isolate turned into a space (`ServerWords.printable`, shared with the
    /// reconcilers' words).
    static func printable(_ text: some StringProtocol) -> String {
        ServerWords.printable(text)
    }

    /// A text answer (bitbucket.org's 401 is six lines of plain text) on one line: its lines
    /// joined, cut at a line's end within 300 characters and marked "…", so a URL it names is
    /// never cut short into another; a first line longer than that is cut at a space. The
    /// whole body is masked before any cut: a secret cut first would be shown in part.
    static func plainText(_ body: Data, limit: Int = 300, masking mask: (String) -> String = { $0 }) -> String {
        let lines = mask(String(decoding: body, as: UTF8.self)).prefix(limit * 16).split(whereSeparator: \.isNewline)
            .map { printable($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var text = ""
        for line in lines {
            let joined = text.isEmpty ? line : text + " " + line
            guard joined.count > limit else {
                text = joined
                continue
            }
            if text.isEmpty {
                let head = line.prefix(limit)
                text = String(head[..<(head.lastIndex(of: " ") ?? head.endIndex)])
            }
            return text + " …"
        }
        return text
    }
}
