import CapstanTestSupport
import Foundation

/// Tests/Support/hostile_http_server.py on a loopback port, with the log of what reached it.
final class HostileServer {
    let port: Int
    let scheme: String
    private let log: URL
    private let process: ChildProcess

    init(in directory: URL, name: String, tls: PrivateCA.ServerFiles? = nil, requireClientCertificate: Bool = false) throws {
        log = directory.appendingPathComponent("\(name).jsonl")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        var arguments = [log.path]
        if let tls {
            arguments += ["--tls-cert", tls.certificate.path, "--tls-key", tls.key.path]
            if requireClientCertificate { arguments += ["--client-ca", tls.caCertificate.path] }
        }
        scheme = tls == nil ? "http" : "https"
        let workDirectory = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        (process, port) = try ChildProcess.startPythonServer("hostile_http_server.py", arguments, in: workDirectory)
    }

    deinit {
        process.kill()
        process.wait()
    }

    func url(_ pathAndQuery: String) -> URL {
        URL(string: "\(scheme)://127.0.0.1:\(port)\(pathAndQuery)")!
    }

    /// The requests that reached this server, in order.
    var requests: [[String: Any]] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

/// A private certificate authority made with the openssl CLI, and a server certificate
/// for 127.0.0.1 and a client certificate it signed.
struct PrivateCA {
    struct ServerFiles {
        let caCertificate: URL
        let certificate: URL
        let key: URL
    }

    let server: ServerFiles
    let clientCertificate: URL
    let clientKey: URL

    init(in directory: URL) throws {
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func openssl(_ arguments: [String]) throws {
            let result = try ChildProcess.run("/usr/bin/env", ["openssl"] + arguments, directory: directory.path,
                                              environment: ["PATH": "/usr/bin:/bin:/usr/local/bin"])
            guard result.status == 0 else { throw FixtureError("openssl \(arguments.first ?? ""): \(String(decoding: result.stderr, as: UTF8.self))") }
        }
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                     "-subj", "/CN=Capstan test CA", "-keyout", path("ca.key"), "-out", path("ca.pem")])
        try Data("subjectAltName=IP:127.0.0.1\n".utf8).write(to: directory.appendingPathComponent("server.ext"))
        for (name, subject, extensions) in [("server", "/CN=127.0.0.1", ["-extfile", path("server.ext")]), ("client", "/CN=capstan-client", [])] {
            try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", subject,
                         "-keyout", path("\(name).key"), "-out", path("\(name).csr")])
            try openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                         "-CAcreateserial", "-days", "2", "-out", path("\(name).pem")] + extensions)
        }
        server = ServerFiles(caCertificate: URL(fileURLWithPath: path("ca.pem")), certificate: URL(fileURLWithPath: path("server.pem")),
                             key: URL(fileURLWithPath: path("server.key")))
        clientCertificate = URL(fileURLWithPath: path("client.pem"))
        clientKey = URL(fileURLWithPath: path("client.key"))
    }
}

func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-http-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}
