import Foundation

/// OpenSSH known_hosts entries for the host-key check. Plain host patterns
/// (`host`, `[host]:port`, comma lists) are matched; hashed entries (`|1|…`) and
/// `@revoked`/`@cert-authority` markers are not understood, and an entry that cannot be
/// matched never counts as a match (fail closed).
struct KnownHosts {
    struct Entry {
        let hosts: [String]
        let keyType: String
        let key: [UInt8]
        /// The line as written, to hand on to libgit2 (`HostKeyPreference`).
        let line: String
    }

    let entries: [Entry]

    init(contents: String) {
        var entries: [Entry] = []
        for line in contents.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, !fields[0].hasPrefix("#"), !fields[0].hasPrefix("@"), !fields[0].hasPrefix("|"),
                  let key = Data(base64Encoded: String(fields[2])).map(Array.init) else { continue }
            entries.append(Entry(hosts: fields[0].split(separator: ",").map(String.init), keyType: String(fields[1]), key: key,
                                 line: String(line)))
        }
        self.entries = entries
    }

    /// Whether `key` is a known key for `host` (with `port`, 22 meaning the default).
    func accepts(host: String, port: Int, key: [UInt8]) -> Bool {
        entries(for: host, port: port).contains { $0.key == key }
    }

    /// The entries for `host` (with `port`), in file order.
    func entries(for host: String, port: Int) -> [Entry] {
        let names = port == 22 ? [host, "[\(host)]:22"] : ["[\(host)]:\(port)"]
        return entries.filter { $0.hosts.contains(where: names.contains) }
    }

    /// The type an SSH public key blob names first (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …).
    static func keyType(of blob: [UInt8]) -> String? {
        guard blob.count >= 4 else { return nil }
        let length = blob[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard length > 0, blob.count >= 4 + length else { return nil }
        return String(bytes: blob[4..<(4 + length)], encoding: .utf8)
    }
}
