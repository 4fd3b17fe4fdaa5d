import Foundation
@testable import Reconcilers
import Testing

/// An Argo CD or Flux status message is written by whoever can break an app (an admission
/// webhook's denial, a resource's health message, a Helm chart's notes) or answers for the
/// API server: `capstan wait` prints it to the log, its text and `--output json`, so every
/// word in a verdict or a reconciler error is one printable line, cut, and the token never
/// shows (issue 14).
@Suite struct HostileReconcilerWordsTests {
    static let hostile = "denied\u{1B}[2K\r\u{1B}[32mrolled-out\u{1B}[0m\nargocd-application checkout: rolled-out\u{07}\u{202E}kcabdeef\u{0}\u{9B}"
    static let long = String(repeating: "unhealthy ", count: 100_000)

    static func hidden(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter {
            $0.properties.generalCategory == .control || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
        }
    }

    /// Every word of a verdict, as the log, the text and the JSON show it.
    static func expectPrintable(_ verdict: AppVerdict, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let words = [verdict.summary] + verdict.messages + [verdict.revision, verdict.sync, verdict.operation, verdict.health, verdict.ready]
            .compactMap { $0 }
        for word in words {
            #expect(hidden(word).isEmpty, "\(word.prefix(200).debugDescription)", sourceLocation: sourceLocation)
            #expect(word.count <= 1000, "\(word.count) characters", sourceLocation: sourceLocation)
        }
        let json = String(decoding: try JSONEncoder().encode(verdict), as: UTF8.self)
        #expect(!json.contains("\\u001b") && !json.contains("\\r") && !json.contains("\\n") && !json.contains("\u{202E}"),
                "\(json.prefix(300))", sourceLocation: sourceLocation)
    }

    @Test func argoCDsMessagesInAVerdictAreOnePrintableLineEach() throws {
        let merge = RevisionTests.merge
        let judge = ArgoRolloutJudge(target: merge, relating: RevisionTests.relating, isReleaseRepository: { $0.contains("release") })
        let object: [String: Any] = [
            "metadata": ["name": "checkout"], "spec": ["source": ["repoURL": "https://git.example.com/acme/release.git"]],
            "status": [
                "sync": ["status": "Synced", "revision": merge], "reconciledAt": "2026-12-03T10:00:05Z",
                "health": ["status": "Degraded", "message": Self.hostile + Self.long],
                "conditions": [["type": "ComparisonError", "message": Self.hostile]],
                "resources": [["kind": "Deployment", "namespace": "shop", "name": "app\u{1B}[2K",
                               "health": ["status": "Degraded", "message": Self.hostile]]],
                "operationState": ["phase": "Succeeded", "message": Self.hostile, "finishedAt": "2026-12-03T10:00:00Z",
                                   "startedAt": "2026-12-03T09:59:00Z", "syncResult": ["revision": merge]],
            ],
        ]
        let verdict = judge.judge(try ArgoApplication(json: JSONSerialization.data(withJSONObject: object)))
        #expect(verdict.phase == .failed)
        #expect(verdict.messages.count >= 3, "\(verdict.messages)")
        try Self.expectPrintable(verdict)
    }

    @Test func fluxsConditionsInAVerdictAreOnePrintableLineEach() throws {
        let merge = RevisionTests.merge
        let judge = FluxRolloutJudge(target: merge, relating: RevisionTests.relating)
        let object: [String: Any] = [
            "kind": "Kustomization", "metadata": ["name": "apps", "namespace": "flux-system", "generation": 2],
            "status": [
                "observedGeneration": 2, "lastAttemptedRevision": "main@sha1:\(merge)",
                "lastAppliedRevision": "main@sha1:\(merge)\u{1B}]0;pwned\u{07}",
                "conditions": [["type": "Ready", "status": "False", "reason": "HealthCheckFailed\u{1B}[2K\r", "message": Self.hostile + Self.long],
                               ["type": "Stalled", "status": "True", "reason": "BuildFailed\n", "message": Self.hostile]],
            ],
        ]
        let verdict = judge.judge(try FluxObject(json: JSONSerialization.data(withJSONObject: object)))
        #expect(!verdict.messages.isEmpty)
        try Self.expectPrintable(verdict)
    }

    /// A judge, or the wait, adding a message later gets it made printable too.
    @Test func aMessageAddedToAVerdictIsMadePrintable() throws {
        var verdict = AppVerdict(phase: .waiting, revision: "main\u{1B}[2K", messages: ["first\rsecond"])
        verdict.messages.append(Self.hostile)
        verdict.health = "Healthy\u{07}"
        try Self.expectPrintable(verdict)
        #expect(verdict.messages.first == "first second")
    }

    /// Argo CD's error words (runtimeError.message or the body) and the Kubernetes API's
    /// (a metav1.Status message): one line, cut, the token masked before the cut.
    @Test func anErrorAnswersWordsAreOneLineCutAndMasked() {
        let token = "argocd-token-" + UUID().uuidString
        let bodies = [#"{"error": "x", "code": 7, "message": "denied \#(token) \#(Self.long)\u001b[2J"}"#,
                      "<html>\n\u{1B}[2J" + String(repeating: "x", count: 280) + token + "\n</html>",
                      #"{"kind": "Status", "message": "\#(String(repeating: "y", count: 290))\#(token)\r\nok"}"#]
        for body in bodies {
            for words in [ArgoCDClient.errorMessage(Data(body.utf8), token: token), FluxClient.statusMessage(Data(body.utf8), token: token)] {
                #expect(Self.hidden(words).isEmpty, "\(words.debugDescription)")
                #expect(words.count <= 300, "\(words.count) characters")
                #expect(!words.contains(token.prefix(16)), "\(words.prefix(200))")
            }
        }
        let error = ReconcilerError.transport(url: "https://argocd.example.com", message: "reset\r\nok\u{1B}[2K")
        #expect(Self.hidden(error.description).isEmpty, "\(error.description.debugDescription)")
    }
}
