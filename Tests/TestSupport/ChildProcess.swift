import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn and reaped with waitpid. Foundation's
/// `Process.waitUntilExit` can miss a child's exit when many are started at once from
/// test threads, so the tests spawn their servers and tools this way.
public struct ChildProcess: Sendable {
    public let pid: pid_t

    /// Serialises pipe creation and spawning, so no child inherits another's pipe before
    /// close-on-exec is set on it (that would keep the pipe open, and a reader waiting).
    private static let spawnLock = NSLock()

    public struct Output: Sendable {
        public let status: Int32
        public let stdout: Data
        public let stderr: Data
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), which Swift's Glibc
    /// module does not declare; looked up in the running process.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// Starts `executable` (an absolute path) with stdin from /dev/null; stdout and stderr
    /// go to the given descriptors (or /dev/null).
    public static func spawn(_ executable: String, _ arguments: [String], directory: String? = nil,
                      environment: [String: String], stdout: Int32? = nil, stderr: Int32? = nil) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdout { posix_spawn_file_actions_adddup2(&actions, stdout, 1) } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        if let stderr { posix_spawn_file_actions_adddup2(&actions, stderr, 2) } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        // Nothing else crosses into the child: a file another test thread has open for
        // writing at this moment (a script it is about to run) would otherwise stay open in
        // a long-lived child, and running that script would fail with "Text file busy".
        if let closeFrom = addCloseFrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // A working directory goes through `env -C` (glibc's addchdir is not visible to Swift).
        let command = directory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]
        let argv: [UnsafeMutablePointer<CChar>?] = (command + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw FixtureError("cannot start \(executable): \(String(cString: strerror(result)))") }
        return ChildProcess(pid: pid)
    }

    /// Runs to completion, capturing stdout and stderr.
    public static func run(_ executable: String, _ arguments: [String], directory: String? = nil,
                    environment: [String: String]) throws -> Output {
        var out: [Int32] = [0, 0]
        var err: [Int32] = [0, 0]
        spawnLock.lock()
        guard pipe(&out) == 0, pipe(&err) == 0 else {
            spawnLock.unlock()
            throw FixtureError("pipe failed")
        }
        // Close-on-exec, so concurrently spawned children do not hold each other's pipes open.
        for descriptor in out + err { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let child: ChildProcess
        do {
            child = try spawn(executable, arguments, directory: directory, environment: environment, stdout: out[1], stderr: err[1])
        } catch {
            [out[0], out[1], err[0], err[1]].forEach { close($0) }
            spawnLock.unlock()
            throw error
        }
        close(out[1])
        close(err[1])
        spawnLock.unlock()
        var collected: [Int32: Data] = [out[0]: Data(), err[0]: Data()]
        var open = [out[0], err[0]]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in fds where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    collected[entry.fd]?.append(contentsOf: buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        let status = child.wait()
        return Output(status: status, stdout: collected[out[0]] ?? Data(), stderr: collected[err[0]] ?? Data())
    }

    /// Waits for the child; its exit status, or 128 + signal.
    @discardableResult
    public func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    public func kill(_ signal: Int32 = SIGKILL) {
        _ = Glibc.kill(pid, signal)
    }

    /// Starts one of the Python servers in Tests/Support, which prints its port on its first
    /// line, and returns it with that port once it is listening.
    public static func startPythonServer(_ script: String, _ arguments: [String], in directory: URL,
                                  stderr: Int32? = nil) throws -> (ChildProcess, Int) {
        let portFile = directory.appendingPathComponent("\(script).port")
        let descriptor = open(portFile.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(descriptor) }
        let child = try spawn("/usr/bin/env", ["python3", PackageRoot.url.appendingPathComponent("Tests/Support/\(script)").path] + arguments,
                              environment: ["PATH": "/usr/bin:/bin:/usr/local/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "")],
                              stdout: descriptor, stderr: stderr)
        for _ in 0..<100 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), text.hasSuffix("\n"),
               let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return (child, port)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        child.kill()
        child.wait()
        throw FixtureError("\(script) did not start")
    }
}

/// The package's root directory (…/Tests/TestSupport/ChildProcess.swift → …).
public enum PackageRoot {
    public static let url: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// A test fixture that could not be set up (a tool failed, a server did not start).
public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
