import Foundation
import Testing

/// Colour only on a terminal: a pseudo-terminal (script(1)) gets a red `error:`, a pipe
/// (CI logs) and NO_COLOR get plain text.
@Suite struct TerminalColourTests {
    private let failing = ["set", "value", "/nonexistent/x.yaml", "a=b", "--root", "/tmp"]

    @Test func errorsAreRedOnATerminalOnly() throws {
        let piped = try TestSupport.capstan(failing)
        #expect(piped.stderr.hasPrefix("error: "))
        #expect(!piped.stderr.contains("\u{1B}["))
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            print("note: script(1) not installed; the terminal case is not exercised")
            return
        }
        let command = ([TestSupport.capstan.path] + failing).joined(separator: " ")
        let onTerminal = try TestSupport.run(script, ["-qc", command, "/dev/null"], environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm"])
        #expect(onTerminal.stdout.contains("\u{1B}[31merror:\u{1B}[0m"), "\(onTerminal.stdout)")
        let noColour = try TestSupport.run(script, ["-qc", command, "/dev/null"],
                                           environment: ["PATH": "/usr/bin:/bin", "TERM": "xterm", "NO_COLOR": "1"])
        #expect(!noColour.stdout.contains("\u{1B}["))
    }
}
