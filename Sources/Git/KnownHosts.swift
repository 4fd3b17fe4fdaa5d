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
    }

    let entries: [Entry]

    init(contents: String) {
        var entries: [Entry] = []
        for line in contents.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, !fields[0].hasPrefix("#"), !fields[0].hasPrefix("@"), !fields[0].hasPrefix("|"),
                  let key = Data(base64Encoded: String(fields[2])).map(Array.init) else { continue }
            entries.append(Entry(hosts: fields[0].split(separator: ",").map(String.init), keyType: String(fields[1]), key: key))
        }
        self.entries = entries
    }

    /// Whether `key` is a known key for `host` (with `port`, 22 meaning the default).
    func accepts(host: String, port: Int, key: [UInt8]) -> Bool {
        let names = port == 22 ? [host, "[\(host)]:22"] : ["[\(host)]:\(port)"]
        return entries.contains { entry in
            entry.hosts.contains(where: names.contains) && entry.key == key
        }
    }
}
