import CapstanTestSupport
import Foundation

/// Tests/Support/kube_api.py on a loopback TLS port, with a CA, server and client
/// certificates made by openssl for this test, and kubeconfig files pointing at it.
final class KubeServer {
    struct Object: Encodable {
        let plural: String
        let name: String
        let sequence: String
        let merge: String
        let old: String
        var namespace = "flux-system"
    }

    let port: Int
    let token = "kube-test-token"
    let directory: String
    private let child: ChildProcess

    init(objects: [Object]) throws {
        directory = try WaitFixtures.temporaryDirectory("kube")
        try Self.makeCertificates(in: directory)
        let config = ["token": AnyEncodable(token), "objects": AnyEncodable(objects)]
        try JSONEncoder().encode(config).write(to: URL(fileURLWithPath: "\(directory)/config.json"))
        let schemas = PackageRoot.url.appendingPathComponent("Schemas/sources.tar.xz").path
        (child, port) = try ChildProcess.startPythonServer(
            "kube_api.py", ["\(directory)/config.json", "\(directory)/log.jsonl", schemas,
                            "\(directory)/server.pem", "\(directory)/server.key", "\(directory)/ca.pem"],
            in: URL(fileURLWithPath: directory))
    }

    deinit {
        child.kill()
        child.wait()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A CA, a server certificate for 127.0.0.1 and a client certificate, all P-256.
    private static func makeCertificates(in directory: String) throws {
        func openssl(_ arguments: [String]) throws {
            let output = try ChildProcess.run("/usr/bin/openssl", arguments, directory: directory, environment: ["PATH": "/usr/bin:/bin"])
            guard output.status == 0 else { throw FixtureError("openssl \(arguments.first ?? ""): \(String(decoding: output.stderr, as: UTF8.self))") }
        }
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + curve + ["-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=capstan-test-ca", "-days", "2"])
        try "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n".write(toFile: "\(directory)/server.ext", atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(toFile: "\(directory)/client.ext", atomically: true, encoding: .utf8)
        for (name, subject) in [("server", "/CN=127.0.0.1"), ("client", "/O=system:masters/CN=capstan-ci")] {
            try openssl(["req"] + curve + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject])
            try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                         "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext"])
        }
    }

    enum User {
        case token
        case certificate
        case nobody
    }

    /// A kubeconfig in the server's directory: the CA as a relative file path, the user's
    /// credentials inline (`token`, or `client-certificate-data` / `client-key-data`).
    func kubeconfig(_ user: User) throws -> String {
        let credentials: String
        switch user {
        case .token:
            credentials = "    token: \(token)\n"
        case .certificate:
            let certificate = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/client.pem")).base64EncodedString()
            let key = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/client.key")).base64EncodedString()
            credentials = "    client-certificate-data: \(certificate)\n    client-key-data: \(key)\n"
        case .nobody:
            credentials = "    {}\n"
        }
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: loopback
              cluster:
                server: https://127.0.0.1:\(port)
                certificate-authority: ca.pem
            contexts:
            - name: ci
              context:
                cluster: loopback
                user: ci
                namespace: flux-system
            current-context: ci
            users:
            - name: ci
              user:
            \(credentials)
            """
        let path = "\(directory)/kubeconfig-\(user)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    var log: [[String: Any]] {
        guard let text = try? String(contentsOfFile: "\(directory)/log.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    var refused: [String] { log.compactMap { $0["verdict"] as? String }.filter { $0 != "ok" } }
}
