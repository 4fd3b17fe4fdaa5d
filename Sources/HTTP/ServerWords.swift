/// What a server says, made fit to print: its words reach a terminal, a CI log and the text
/// outcome, and whoever shapes them (a hostile server, anyone who can post a status, a
/// change under test whose error a reconciler quotes) must not rewrite the terminal or CI
/// log they are printed to, nor start a line of their own there (`::error::` at the start
/// of a GitHub Actions log line is a workflow command). Forge and reconciler words alike.
public enum ServerWords {
    /// `text` with each control character (ESC, BEL, backspace, CR, newlines, C1) and bidi
    /// override or isolate turned into a space.
    public static func printable(_ text: some StringProtocol) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let hidden = scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value)
                || (0x2066...0x2069).contains(scalar.value)
            scalars.append(hidden ? " " : scalar)
        }
        return String(scalars)
    }

    /// `text` with every secret (non-empty, at least 8 characters: shorter would mask
    /// ordinary words) replaced by `***`, longest first, then made printable: masked before
    /// anything could split a secret.
    public static func shown(_ text: some StringProtocol, masking secrets: [String]) -> String {
        let masked = secrets.filter { $0.count >= 8 }.sorted { $0.count > $1.count }
            .reduce(String(text)) { $0.replacingOccurrences(of: $1, with: "***") }
        return printable(masked)
    }
}
