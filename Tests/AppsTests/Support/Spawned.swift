import CapstanTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif


/// A child process (git, python3) started with posix_spawn; its output goes to files so
/// no pipe can fill up, and it is reaped with waitpid (Foundation's Process can miss exits
/// when tests run in parallel).
struct Spawned {
    let pid: pid_t
    let outputFile: String

    static func start(_ arguments: [String], directory: String? = nil, environment: [String: String] = [:]) throws -> Spawned {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-apps-\(UUID().uuidString).out").path
        let descriptor = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { close(descriptor) }
        var env = ["PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path,
                   "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
                   "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com"]
        env.merge(environment) { $1 }
        let child = try ChildProcess.spawn("/usr/bin/env", arguments, directory: directory, environment: env,
                                           stdout: descriptor, stderr: descriptor)
        return Spawned(pid: child.pid, outputFile: output)
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
