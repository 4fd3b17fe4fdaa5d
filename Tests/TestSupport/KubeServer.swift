import Foundation

/// Tests/Support/kube_api.py on a loopback TLS port, with a CA, server and client
/// certificates made by openssl for this test, and kubeconfig files pointing at it.
/// `shared` is one server for every test of the process that needs objects of its own
/// (a `Tenant`): the schema load and the certificates are paid once.
public final class KubeServer: Sendable {
    public struct Object: Encodable, Sendable {
        let plural: String
        let name: String
        let sequence: String
        let merge: String
        let old: String
        let namespace: String
        /// `follow-main`: the bare repository whose main the object tracks.
        let follow: String?
        /// `follow-main`: the first new tip fails.
        let degradeFirst: Bool

        public init(plural: String, name: String, sequence: String, merge: String, old: String, namespace: String = "flux-system",
                    follow: String? = nil, degradeFirst: Bool = false) {
            self.plural = plural
            self.name = name
            self.sequence = sequence
            self.merge = merge
            self.old = old
            self.namespace = namespace
            self.follow = follow
            self.degradeFirst = degradeFirst
        }
    }

    public let port: Int
    public let token = "kube-test-token"
    public let directory: String
    private let child: ChildProcess

    public init(objects: [Object]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-kube-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(directory)/tenants", withIntermediateDirectories: true)
        try Self.makeCertificates(in: directory)
        let config = ["token": AnyEncodable(token), "objects": AnyEncodable(objects)]
        try JSONEncoder().encode(config).write(to: URL(fileURLWithPath: "\(directory)/config.json"))
        let schemas = PackageRoot.url.appendingPathComponent("Schemas/sources.tar.xz").path
        (child, port) = try ChildProcess.startPythonServer(
            "kube_api.py", ["\(directory)/config.json", "\(directory)/log.jsonl", schemas,
                            "\(directory)/server.pem", "\(directory)/server.key", "\(directory)/ca.pem", "\(directory)/tenants"],
            in: URL(fileURLWithPath: directory))
    }

    deinit {
        child.kill()
        child.wait()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The process's shared server (started on first use; it exits with the process).
    public static func shared() throws -> KubeServer {
        try sharedServer.get()
    }

    private static let sharedServer: Result<KubeServer, FixtureError> = {
        do { return .success(try KubeServer(objects: [])) } catch { return .failure(FixtureError("the shared Kubernetes API server: \(error)")) }
    }()

    /// Objects of one test on a server others use too: its own token, kubeconfig and log.
    public struct Tenant: Sendable {
        public let server: KubeServer
        public let id: String
        public let token: String
        /// A kubeconfig whose user is the tenant's token.
        public let kubeconfig: String

        /// Every request the tenant made, as the server judged it.
        public var log: [[String: Any]] { server.log.filter { $0["user"] as? String == "tenant:\(id)" } }
        public var refused: [String] { log.compactMap { $0["verdict"] as? String }.filter { $0 != "ok" } }
    }

    public func tenant(_ objects: [Object]) throws -> Tenant {
        let id = UUID().uuidString + ".json"
        let token = "kube-tenant-tok-" + UUID().uuidString
        let config = ["token": AnyEncodable(token), "objects": AnyEncodable(objects)]
        // Written under another name and renamed: the server never reads half a file.
        let partial = "\(directory)/tenants/\(id).partial"
        try JSONEncoder().encode(config).write(to: URL(fileURLWithPath: partial))
        guard rename(partial, "\(directory)/tenants/\(id)") == 0 else { throw FixtureError("cannot register the tenant") }
        return Tenant(server: self, id: id, token: token, kubeconfig: try kubeconfig(bearer: token, name: id))
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

    public enum User {
        case token
        case certificate
        case nobody
    }

    /// A kubeconfig in the server's directory: the CA as a relative file path, the user's
    /// credentials inline (`token`, or `client-certificate-data` / `client-key-data`).
    public func kubeconfig(_ user: User) throws -> String {
        switch user {
        case .token:
            return try kubeconfig(credentials: "    token: \(token)\n", name: "\(user)")
        case .certificate:
            let certificate = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/client.pem")).base64EncodedString()
            let key = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/client.key")).base64EncodedString()
            return try kubeconfig(credentials: "    client-certificate-data: \(certificate)\n    client-key-data: \(key)\n", name: "\(user)")
        case .nobody:
            return try kubeconfig(credentials: "    {}\n", name: "\(user)")
        }
    }

    private func kubeconfig(bearer: String, name: String) throws -> String {
        try kubeconfig(credentials: "    token: \(bearer)\n", name: name)
    }

    private func kubeconfig(credentials: String, name: String) throws -> String {
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
        let path = "\(directory)/kubeconfig-\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    public var log: [[String: Any]] {
        guard let text = try? String(contentsOfFile: "\(directory)/log.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    public var refused: [String] { log.compactMap { $0["verdict"] as? String }.filter { $0 != "ok" } }
}
