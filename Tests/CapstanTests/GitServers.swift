import CapstanTestSupport
import Foundation

/// Real Git servers on loopback for end-to-end tests: bare repositories made with the
/// `git` CLI, served by `git http-backend` behind Basic auth, or by OpenSSH's sshd.
enum GitFixtures {
    /// Runs `git` with a fixed identity; throws when it fails.
    @discardableResult
    static func git(_ arguments: [String], in directory: URL? = nil) throws -> String {
        let result = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/git"), arguments, in: directory, environment: [
            "PATH": "/usr/bin:/bin", "HOME": directory?.path ?? "/tmp",
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
            "GIT_CONFIG_NOSYSTEM": "1",
        ])
        guard result.status == 0 else {
            throw FixtureError("git \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.stdout
    }

    /// A bare repository at `root/name.git` whose `main` holds `files` (one commit).
    static func bareRepository(in root: URL, name: String, files: [String: String]) throws -> URL {
        let source = root.appendingPathComponent("\(name)-files")
        for (path, text) in files {
            let url = source.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        defer { try? FileManager.default.removeItem(at: source) }
        return try bareRepository(in: root, name: name, copying: source)
    }

    /// A bare repository holding a copy of a tree on disk.
    static func bareRepository(in root: URL, name: String, copying tree: URL) throws -> URL {
        let source = root.appendingPathComponent("\(name)-source")
        try TestSupport.copyTree(tree, to: source)
        try git(["init", "-q", "-b", "main"], in: source)
        try git(["add", "-A"], in: source)
        try git(["commit", "-q", "-m", "initial"], in: source)
        let bare = root.appendingPathComponent("\(name).git")
        try git(["clone", "-q", "--bare", source.path, bare.path])
        try git(["config", "http.receivepack", "true"], in: bare)
        try FileManager.default.removeItem(at: source)
        return bare
    }

    /// The content of `path` at `revision` in a bare repository.
    static func show(_ bare: URL, _ revision: String, _ path: String) throws -> String {
        try git(["show", "\(revision):\(path)"], in: bare)
    }
}


/// `git http-backend` behind a small Python HTTP server (Tests/Support/git_http_server.py)
/// on 127.0.0.1, requiring Basic auth with `token` as the password.
final class GitHTTPServer {
    let root: URL
    let faults: URL
    let port: Int
    let token: String
    private let process: ChildProcess
    private let scheme: String

    /// `tls` serves HTTPS with that certificate and key (PEM files).
    init(root: URL, token: String, tls: (certificate: URL, key: URL)? = nil) throws {
        self.root = root
        self.token = token
        scheme = tls == nil ? "http" : "https"
        faults = root.appendingPathComponent("faults")
        try FileManager.default.createDirectory(at: faults, withIntermediateDirectories: true)
        (process, port) = try ChildProcess.startPythonServer("git_http_server.py", [
            "--root", root.path, "--user", "capstan", "--password", token, "--faults", faults.path,
        ] + (tls.map { ["--tls-cert", $0.certificate.path, "--tls-key", $0.key.path] } ?? []), in: root)
    }

    deinit {
        process.kill()
        process.wait()
    }

    func url(_ repository: String) -> String { "\(scheme)://127.0.0.1:\(port)/\(repository)" }

    /// A self-signed certificate for 127.0.0.1 (P-256), made with the openssl CLI.
    static func selfSignedCertificate(in directory: URL) throws -> (certificate: URL, key: URL) {
        let certificate = directory.appendingPathComponent("server.pem")
        let key = directory.appendingPathComponent("server.key")
        let made = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/openssl"), [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            // CN only: Debian's libgit2 uses mbedTLS 2.28, which matches no IP subjectAltName.
            "-subj", "/CN=127.0.0.1",
            "-keyout", key.path, "-out", certificate.path,
        ], environment: ["PATH": "/usr/bin:/bin"])
        guard made.status == 0 else { throw FixtureError("openssl req: \(made.stderr)") }
        return (certificate, key)
    }

    /// Makes the server misbehave: `drop-push-before` or `drop-push-after` (the next push),
    /// `stall`, `trickle`, or `redirect` (to the URL given as `contents`) from now on;
    /// `advertise-after-push` (the next advertisement after a push, from the root in `contents`).
    func inject(_ fault: String, contents: String = "") throws {
        try Data(contents.utf8).write(to: faults.appendingPathComponent(fault))
    }

    var requestLog: [String] {
        ((try? String(contentsOf: faults.appendingPathComponent("requests.log"), encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }
}

/// A forward HTTP proxy on loopback (Tests/Support/http_proxy.py) that logs each request
/// line it relays (`CONNECT host:port` or `GET http://…`), never headers.
final class HTTPProxy {
    let port: Int
    let log: URL
    private let process: ChildProcess

    init(directory: URL) throws {
        log = directory.appendingPathComponent("proxy.log")
        (process, port) = try ChildProcess.startPythonServer("http_proxy.py", ["--log", log.path], in: directory)
    }

    deinit {
        process.kill()
        process.wait()
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var requests: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

/// OpenSSH's sshd on a loopback port, serving git to one ed25519 key; nil when sshd cannot
/// run here (not installed, or not root), which tests report visibly. Git run through it
/// records `SSHServer.committer` in reflogs, so a test can tell a push that came over SSH.
final class SSHServer {
    let port: Int
    let clientKey: URL
    let knownHosts: URL
    private let logFile: URL
    private let process: ChildProcess

    /// The identity sshd's sessions give git (`GIT_COMMITTER_NAME`/`_EMAIL`).
    static let committer = "sshd-session <push@sshd.invalid>"

    /// `alsoOffering`: more host key types the server has (`ecdsa`, `rsa`), as GitHub's
    /// has; known_hosts lists only its Ed25519 key, as people pin it.
    static func start(in directory: URL, alsoOffering otherHostKeyTypes: [String] = []) throws -> SSHServer? {
        let sshd = URL(fileURLWithPath: "/usr/sbin/sshd")
        guard FileManager.default.isExecutableFile(atPath: sshd.path), getuid() == 0 else { return nil }
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        let keygen = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
        let hostKey = directory.appendingPathComponent("host_ed25519")
        let clientKey = directory.appendingPathComponent("client_ed25519")
        let otherHostKeys = otherHostKeyTypes.map { (type: $0, file: directory.appendingPathComponent("host_\($0)")) }
        for (type, key) in [("ed25519", hostKey), ("ed25519", clientKey)] + otherHostKeys {
            let made = try TestSupport.run(keygen, ["-q", "-t", type, "-N", "", "-f", key.path, "-C", "capstan-test"])
            guard made.status == 0 else { throw FixtureError("ssh-keygen: \(made.stderr)") }
        }
        let authorized = directory.appendingPathComponent("authorized_keys")
        try FileManager.default.copyItem(at: clientKey.appendingPathExtension("pub"), to: authorized)
        for _ in 0..<5 {
            let port = Int.random(in: 20_000...60_000)
            let config = directory.appendingPathComponent("sshd_config")
            try """
            Port \(port)
            ListenAddress 127.0.0.1
            \(([hostKey] + otherHostKeys.map(\.file)).map { "HostKey " + $0.path }.joined(separator: "\n"))
            AuthorizedKeysFile \(authorized.path)
            PidFile \(directory.appendingPathComponent("sshd.pid").path)
            UsePAM no
            StrictModes no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            PubkeyAuthentication yes
            LogLevel VERBOSE
            MaxStartups 100
            SetEnv GIT_COMMITTER_NAME=sshd-session GIT_COMMITTER_EMAIL=push@sshd.invalid

            """.write(to: config, atomically: true, encoding: .utf8)
            let logFile = directory.appendingPathComponent("sshd.log")
            let log = open(logFile.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            defer { close(log) }
            let process = try ChildProcess.spawn(sshd.path, ["-D", "-e", "-f", config.path], environment: ["PATH": "/usr/bin:/bin"],
                                                 stderr: log)
            // Wait for the port to accept connections.
            for _ in 0..<50 {
                if canConnect(port: port) {
                    let publicHostKey = try String(contentsOf: hostKey.appendingPathExtension("pub"), encoding: .utf8)
                        .split(separator: " ").prefix(2).joined(separator: " ")
                    let knownHosts = directory.appendingPathComponent("known_hosts")
                    try "[127.0.0.1]:\(port) \(publicHostKey)\n".write(to: knownHosts, atomically: true, encoding: .utf8)
                    return SSHServer(port: port, clientKey: clientKey, knownHosts: knownHosts, logFile: logFile, process: process)
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            process.kill()
            process.wait()
        }
        return nil
    }

    private init(port: Int, clientKey: URL, knownHosts: URL, logFile: URL, process: ChildProcess) {
        self.port = port
        self.clientKey = clientKey
        self.knownHosts = knownHosts
        self.logFile = logFile
        self.process = process
    }

    /// sshd's log so far (LogLevel VERBOSE: connections, accepted keys, sessions).
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// `ssh://` URL of a repository at an absolute path on this machine.
    func url(_ repository: URL) -> String { "ssh://root@127.0.0.1:\(port)\(repository.path)" }

    deinit {
        process.kill()
        process.wait()
    }

    private static func canConnect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
