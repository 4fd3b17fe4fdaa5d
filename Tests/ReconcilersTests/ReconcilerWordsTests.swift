import Foundation
@testable import Reconcilers
import Testing

/// What Argo CD, Flux and the Kubernetes API say reaches the terminal, the CI log and the
/// text outcome. Whoever shapes those words (a hostile server, or a change under test: a
/// chart's `fail "…"` becomes a HelmRelease's Ready message, a manifest's error an Argo CD
/// sync message) must not rewrite the terminal or start a line of its own there (`::error::`
/// in a GitHub Actions log is a workflow command), and a server echoing the token back
/// must not get it printed.
@Suite struct ReconcilerWordsTests {
    static let token = "argo-tok-" + UUID().uuidString
    static let hostile = "render error\u{1b}[2J\n::error file=a::injected\r\u{202E}txt.exe\u{07}"

    /// A transport that answers every request with one status and body.
    struct Answering: ReconcilerTransport {
        let status: Int
        let body: String
        func send(_ request: ReconcilerRequest) async throws(ReconcilerError) -> ReconcilerResponse {
            ReconcilerResponse(status: status, body: Data(body.utf8))
        }
    }

    private func isOnePrintableLine(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.properties.generalCategory == .control || (0x202A...0x202E).contains($0.value) }
    }

    @Test func aVerdictsMessagesAreOnePrintableLineEach() {
        var verdict = AppVerdict(phase: .failed, health: "Degraded\u{1b}[31m", messages: [Self.hostile])
        verdict.messages.append(Self.hostile)
        verdict.messages += [Self.hostile]
        #expect(verdict.messages.count == 3)
        for message in verdict.messages {
            #expect(isOnePrintableLine(message), "\(message.debugDescription)")
            #expect(message.contains("render error") && message.contains("injected"))
        }
        #expect(isOnePrintableLine(verdict.summary), "\(verdict.summary.debugDescription)")
    }

    @Test func anArgoCDErrorBodyIsPrintedMaskedOnOneLine() async {
        let body = #"{"error": "token \#(Self.token) is invalid", "message": "token \#(Self.token) is invalid\u001b]0;pwned\u0007\n::error::x"}"#
        let client = ArgoCDClient(server: URL(string: "https://argocd.invalid")!, token: Self.token, transport: Answering(status: 401, body: body))
        do {
            _ = try await client.application("web", namespace: nil, refresh: false)
            Issue.record("no error")
        } catch {
            #expect(!error.description.contains(Self.token), "\(error.description)")
            #expect(isOnePrintableLine(error.description), "\(error.description.debugDescription)")
        }
    }

    @Test func aKubernetesErrorBodyIsPrintedMaskedOnOneLine() async {
        let body = "upstream said: Authorization: Bearer \(Self.token)\n\u{1b}[2J::error::x"
        let connection = KubernetesConnection(server: URL(string: "https://kube.invalid")!, token: Self.token, tls: TLSSettings(), namespace: nil)
        let client = FluxClient(connection: connection, transport: Answering(status: 502, body: body))
        do {
            _ = try await client.object(.kustomization, name: "apps", namespace: "flux-system")
            Issue.record("no error")
        } catch {
            #expect(!error.description.contains(Self.token), "\(error.description)")
            #expect(isOnePrintableLine(error.description), "\(error.description.debugDescription)")
        }
    }
}
