import Foundation
import YAML

/// Where the Kubernetes API is and how to authenticate to it: from a kubeconfig file (the
/// current context, or a named one), or from the in-cluster service account.
public struct KubernetesConnection: Sendable {
    public let server: URL
    /// `Authorization: Bearer …` when the user has a token.
    let token: String?
    public let tls: TLSSettings
    /// The context's default namespace.
    public let namespace: String?

    public init(server: URL, token: String?, tls: TLSSettings, namespace: String?) {
        self.server = server
        self.token = token
        self.tls = tls
        self.namespace = namespace
    }

    /// The headers every request carries.
    var headers: [String: String] {
        var headers = ["Accept": "application/json"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        return headers
    }

    /// The in-cluster service account: `KUBERNETES_SERVICE_HOST`/`_PORT`, and the token and
    /// CA mounted at `directory`.
    public static func inCluster(environment: [String: String],
                                 directory: String = "/var/run/secrets/kubernetes.io/serviceaccount") throws(ReconcilerError) -> KubernetesConnection {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw .kubeconfig(path: directory, message: "not in a cluster (KUBERNETES_SERVICE_HOST is not set) and no kubeconfig given")
        }
        let port = environment["KUBERNETES_SERVICE_PORT"] ?? "443"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        guard let server = URL(string: "https://\(hostPart):\(port)") else {
            throw .kubeconfig(path: directory, message: "KUBERNETES_SERVICE_HOST \(host) is not a host")
        }
        let token = try read("\(directory)/token", for: directory)
        let ca = try read("\(directory)/ca.crt", for: directory)
        let namespace = (try? read("\(directory)/namespace", for: directory)).map { String(decoding: $0, as: UTF8.self) }
        return KubernetesConnection(server: server, token: String(decoding: token, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
                                    tls: TLSSettings(caPEM: ca), namespace: namespace)
    }

    /// The connection a kubeconfig describes for `context` (default: its current-context).
    /// Relative file paths are taken from the kubeconfig's directory, as kubectl does.
    public static func kubeconfig(at path: String, context wanted: String? = nil) throws(ReconcilerError) -> KubernetesConnection {
        let root = try kubeconfigRoot(at: path)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard let contextName = wanted ?? root["current-context"]?.resolved.string, !contextName.isEmpty else {
            throw .kubeconfig(path: path, message: "no current-context (give --kube-context)")
        }
        let context = try named(contextName, in: root, list: "contexts", entry: "context", path: path)
        guard let clusterName = context["cluster"]?.resolved.string else {
            throw .kubeconfig(path: path, message: "context \(contextName) names no cluster")
        }
        let cluster = try named(clusterName, in: root, list: "clusters", entry: "cluster", path: path)
        guard let serverText = cluster["server"]?.resolved.string, let server = URL(string: serverText), server.scheme != nil else {
            throw .kubeconfig(path: path, message: "cluster \(clusterName) has no server URL")
        }
        var tls = TLSSettings()
        tls.caPEM = try pem(cluster, file: "certificate-authority", data: "certificate-authority-data", directory: directory, path: path)
        if cluster["insecure-skip-tls-verify"]?.resolved.string == "true", tls.caPEM == nil {
            // Verification fails closed: the cluster's CA is needed, not a way around it.
            throw .kubeconfig(path: path, message: "cluster \(clusterName) sets insecure-skip-tls-verify, which capstan does not honour: "
                + "give its certificate-authority")
        }
        var token: String?
        if let userName = context["user"]?.resolved.string, !userName.isEmpty {
            let user = try named(userName, in: root, list: "users", entry: "user", path: path)
            if user["exec"] != nil || user["auth-provider"] != nil {
                throw .kubeconfig(path: path, message: "user \(userName) authenticates through an exec or auth-provider plugin, "
                    + "which capstan does not run: give it a token or a client certificate")
            }
            token = user["token"]?.resolved.string
            if token == nil, let file = user["tokenFile"]?.resolved.string {
                token = String(decoding: try read(resolve(file, in: directory), for: path), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            tls.clientCertificatePEM = try pem(user, file: "client-certificate", data: "client-certificate-data", directory: directory, path: path)
            tls.clientKeyPEM = try pem(user, file: "client-key", data: "client-key-data", directory: directory, path: path)
            if (tls.clientCertificatePEM == nil) != (tls.clientKeyPEM == nil) {
                throw .kubeconfig(path: path, message: "user \(userName) has a client certificate without its key, or a key without its certificate")
            }
        }
        return KubernetesConnection(server: server, token: token, tls: tls, namespace: context["namespace"]?.resolved.string)
    }

    /// The first kubeconfig of a `$KUBECONFIG` list that exists, else `~/.kube/config`.
    public static func defaultKubeconfigPath(environment: [String: String]) -> String? {
        let listed = (environment["KUBECONFIG"] ?? "").split(separator: ":").map(String.init)
        if let found = listed.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
        let home = environment["HOME"].map { "\($0)/.kube/config" }
        return home.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
    }

    /// The names of a kubeconfig's contexts.
    public static func contextNames(inKubeconfigAt path: String) throws(ReconcilerError) -> [String] {
        try kubeconfigRoot(at: path)["contexts"]?.resolved.items.compactMap { $0.resolved["name"]?.resolved.string } ?? []
    }

    private static func kubeconfigRoot(at path: String) throws(ReconcilerError) -> Node {
        let bytes = try read(path, for: path)
        do {
            guard let first = try YAMLFile.parse(Array(bytes), path: path).documents.first else {
                throw ReconcilerError.kubeconfig(path: path, message: "empty file")
            }
            return first.root.resolved
        } catch let error as ReconcilerError {
            throw error
        } catch {
            throw .kubeconfig(path: path, message: "\(error)")
        }
    }

    private static func named(_ name: String, in root: Node, list: String, entry: String, path: String) throws(ReconcilerError) -> Node {
        for item in root[list]?.resolved.items ?? [] where item.resolved["name"]?.resolved.string == name {
            if let value = item.resolved[entry]?.resolved, value.isMapping { return value }
        }
        throw .kubeconfig(path: path, message: "no \(entry) named \(name) in \(list)")
    }

    /// PEM from `<file>` (a path) or `<data>` (base64 of the PEM).
    private static func pem(_ node: Node, file: String, data: String, directory: String, path: String) throws(ReconcilerError) -> Data? {
        if let encoded = node[data]?.resolved.string {
            guard let decoded = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else {
                throw .kubeconfig(path: path, message: "\(data) is not base64")
            }
            return decoded
        }
        if let file = node[file]?.resolved.string {
            return try read(resolve(file, in: directory), for: path)
        }
        return nil
    }

    private static func resolve(_ file: String, in directory: String) -> String {
        file.hasPrefix("/") ? file : "\(directory)/\(file)"
    }

    private static func read(_ file: String, for path: String) throws(ReconcilerError) -> Data {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .kubeconfig(path: path, message: "cannot read \(file)")
        }
        return data
    }
}
