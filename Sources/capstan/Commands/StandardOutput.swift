import Foundation

/// Standard output written with write(2). SIGPIPE is ignored process-wide (see CapstanMain),
/// so a reader that went away (`capstan validate | head -1`) would otherwise make
/// FileHandle's write trap; here it ends the process as it always did: quietly, by SIGPIPE.
enum StandardOutput {
    static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE {
                    signal(SIGPIPE, SIG_DFL)
                    raise(SIGPIPE)
                }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
