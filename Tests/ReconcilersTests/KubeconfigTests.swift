import Foundation
import Reconcilers
import Testing

/// Kubeconfig files as kubectl reads them: the current context (or a named one), relative
/// paths from the file's directory, inline `*-data`; what capstan will not do is refused.
@Suite struct KubeconfigTests {
    func kubeconfig(_ user: String, cluster: String = "    server: https://127.0.0.1:6443\n    certificate-authority: certs/ca.pem\n",
                    current: String = "ci") throws -> String {
        let directory = try WaitFixtures.temporaryDirectory("kubeconfig")
        try FileManager.default.createDirectory(atPath: "\(directory)/certs", withIntermediateDirectories: true)
        try "CA PEM\n".write(toFile: "\(directory)/certs/ca.pem", atomically: true, encoding: .utf8)
        try "token-from-file\n".write(toFile: "\(directory)/certs/token", atomically: true, encoding: .utf8)
        let text = """
            apiVersion: v1
            kind: Config
            current-context: \(current)
            clusters:
            - name: c
              cluster:
            \(cluster)
            contexts:
            - name: ci
              context: {cluster: c, user: u, namespace: apps}
            - name: other
              context: {cluster: c, user: u}
            users:
            - name: u
              user:
            \(user)
            """
        try text.write(toFile: "\(directory)/config", atomically: true, encoding: .utf8)
        return "\(directory)/config"
    }

    @Test func relativePathsAreTakenFromTheKubeconfigsDirectory() throws {
        let connection = try KubernetesConnection.kubeconfig(at: try kubeconfig("    tokenFile: certs/token\n"))
        #expect(connection.server.absoluteString == "https://127.0.0.1:6443")
        #expect(connection.tls.caPEM == Data("CA PEM\n".utf8))
        #expect(connection.namespace == "apps")
    }

    @Test func inlineClientCertificateData() throws {
        let certificate = Data("CERT".utf8).base64EncodedString()
        let key = Data("KEY".utf8).base64EncodedString()
        let connection = try KubernetesConnection.kubeconfig(
            at: try kubeconfig("    client-certificate-data: \(certificate)\n    client-key-data: \(key)\n"), context: "other")
        #expect(connection.tls.clientCertificatePEM == Data("CERT".utf8))
        #expect(connection.tls.clientKeyPEM == Data("KEY".utf8))
        #expect(connection.namespace == nil)
    }

    @Test func anExecPluginIsRefusedWithAMessage() throws {
        let path = try kubeconfig("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: aws\n")
        #expect(throws: ReconcilerError.self) { try KubernetesConnection.kubeconfig(at: path) }
        do {
            _ = try KubernetesConnection.kubeconfig(at: path)
        } catch {
            #expect(error.description.contains("exec or auth-provider plugin"))
        }
    }

    @Test func skippingVerificationWithoutACAIsRefused() throws {
        let path = try kubeconfig("    token: t\n", cluster: "    server: https://127.0.0.1:6443\n    insecure-skip-tls-verify: true\n")
        #expect(throws: ReconcilerError.self) { try KubernetesConnection.kubeconfig(at: path) }
    }

    @Test func aCertificateWithoutItsKeyIsRefused() throws {
        let path = try kubeconfig("    client-certificate: certs/ca.pem\n")
        #expect(throws: ReconcilerError.self) { try KubernetesConnection.kubeconfig(at: path) }
    }

    @Test func anUnknownContextIsNamed() throws {
        let path = try kubeconfig("    token: t\n", current: "gone")
        do {
            _ = try KubernetesConnection.kubeconfig(at: path)
            Issue.record("no error")
        } catch {
            #expect(error.description.hasSuffix("no context named gone in contexts"))
        }
    }
}
