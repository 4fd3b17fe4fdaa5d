import Foundation

/// Standard error for people: `error:` in red and `warning:` in yellow when it is a
/// terminal (and NO_COLOR is unset); plain text in CI logs and pipes.
enum Terminal {
    static let colours: Bool = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        && ProcessInfo.processInfo.environment["TERM"] != "dumb"

    /// Writes `text` (one or more lines) to standard error, colouring the prefixes.
    static func note(_ text: String) {
        guard !text.isEmpty else { return }
        var out = text.hasSuffix("\n") ? text : text + "\n"
        if colours {
            out = out.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                if line.hasPrefix("error:") { return "\u{1B}[31merror:\u{1B}[0m" + line.dropFirst(6) }
                if line.hasPrefix("warning:") { return "\u{1B}[33mwarning:\u{1B}[0m" + line.dropFirst(8) }
                return String(line)
            }.joined(separator: "\n")
        }
        FileHandle.standardError.write(Data(out.utf8))
    }
}
