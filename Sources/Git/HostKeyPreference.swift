import Foundation
import Synchronization

/// Which host key an SSH fetch or push asks the server for. libgit2 (1.5) takes that from
/// the first entry for the host in `$HOME/.ssh/known_hosts` and from nowhere else; with no
/// entry there it asks for libssh2's default (ECDSA before Ed25519 and RSA). Capstan checks
/// the key against the `--known-hosts` file instead, so a file that vouches only for a
/// server's Ed25519 key (as people pin GitHub's) was refused by a server that also has an
/// ECDSA key, where OpenSSH connects. For the one retry `Repository` makes then, `HOME`
/// names a private directory whose `.ssh/known_hosts` holds the file's other entries for
/// that host, so libgit2 asks for a key the file can vouch for. The verdict stays
/// Capstan's own check (`RemoteSession`); this changes only what is asked for.
enum HostKeyPreference {
    /// Serialises the override: HOME is process-wide, and Capstan makes one remote
    /// connection at a time, never beside other threads that read the environment.
    private static let lock = Mutex(())

    /// Runs `body` with HOME pointing at a private directory whose `.ssh/known_hosts` is
    /// `lines`; runs it as it is when that directory cannot be made.
    static func asking<T>(for lines: [String], _ body: () throws(GitError) -> T) throws(GitError) -> T {
        try lock.withLock { _ throws(GitError) -> T in
            guard let directory = privateHome(knownHosts: lines) else { return try body() }
            let home = ProcessInfo.processInfo.environment["HOME"]
            setenv("HOME", directory, 1)
            defer {
                if let home { setenv("HOME", home, 1) } else { unsetenv("HOME") }
                try? FileManager.default.removeItem(atPath: directory)
            }
            return try body()
        }
    }

    /// A fresh directory (mode 0700) holding `.ssh/known_hosts`.
    private static func privateHome(knownHosts lines: [String]) -> String? {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-ssh-\(UUID().uuidString)")
        let ssh = directory.appendingPathComponent(".ssh")
        let contents = Data(lines.map { $0 + "\n" }.joined().utf8)
        do {
            try FileManager.default.createDirectory(at: ssh, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
            guard FileManager.default.createFile(atPath: ssh.appendingPathComponent("known_hosts").path, contents: contents,
                                                 attributes: [.posixPermissions: 0o600]) else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: directory)
            return nil
        }
        return directory.path
    }
}
