import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A child process (git, python3) started with posix_spawn; its output goes to files so
/// no pipe can fill up, and it is reaped with waitpid (Foundation's Process can miss exits
/// when tests run in parallel).
struct Spawned {
    let pid: pid_t
    let outputFile: String

    static func start(_ arguments: [String], directory: String? = nil, environment: [String: String] = [:]) throws -> Spawned {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-apps-\(UUID().uuidString).out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let command = (directory.map { ["/usr/bin/env", "-C", $0] } ?? ["/usr/bin/env"]) + arguments
        var env = ["PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path,
                   "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
                   "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com"]
        env.merge(environment) { $1 }
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // The test process blocks signals on its threads; the child must start with none
        // blocked and SIGTERM at its default, or it cannot be stopped.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let result = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw FixtureError("cannot start \(arguments[0]): \(String(cString: strerror(result)))") }
        return Spawned(pid: pid, outputFile: output)
    }

    /// Runs to completion; throws when the exit status is not 0.
    @discardableResult
    static func run(_ arguments: [String], directory: String? = nil) throws -> String {
        let child = try start(arguments, directory: directory)
        let status = child.wait()
        let output = child.output
        try? FileManager.default.removeItem(atPath: child.outputFile)
        guard status == 0 else { throw FixtureError("\(arguments.joined(separator: " ")) exited \(status): \(output)") }
        return output
    }

    /// Waits for the child and returns its exit status and output, removing the output file.
    func finish() -> (status: Int32, output: String) {
        let status = wait()
        let text = output
        try? FileManager.default.removeItem(atPath: outputFile)
        return (status, text)
    }

    var output: String { (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? "" }

    @discardableResult
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    func stop() {
        _ = kill(pid, SIGKILL)
        wait()
        try? FileManager.default.removeItem(atPath: outputFile)
    }
}
