import Apps
import CapstanTestSupport
import Foundation
import Testing

/// `--notify` against loopback receivers that validate requests the way Flux's
/// notification-controller and Argo CD do.
@Suite struct NotifyTests {
    private let fluxChange = ["apps/base/redis/values.yaml"]
    private let argoChange = ["envs/dev/config.json", "charts/checkout/values-prod.yaml"]
    private let head = String(repeating: "b", count: 40)

    private func affected(_ paths: [String], in root: String) throws -> [AffectedApp] {
        ChangeImpact.affected(by: paths, in: try AppCatalog.discover(root: root))
    }

    private func push(_ paths: [String], repository: String) -> PushDescription {
        PushDescription(repositoryURL: repository, branch: "main", before: String(repeating: "a", count: 40), after: head, changedPaths: paths)
    }

    private func fluxNotifier(_ server: LoopbackReconciler, kind: FluxReceiver.Kind, token: String) -> ReconcilerNotifier {
        ReconcilerNotifier(configuration: NotifyConfiguration(
            fluxReceivers: [FluxReceiver(url: server.receiverURL("apps"), kind: kind, token: token)],
            push: push(fluxChange, repository: "https://github.com/acme/flux-release-repo")))
    }

    private func receiver(_ type: String) throws -> LoopbackReconciler {
        try LoopbackReconciler(.init(receivers: [.init(name: "apps", namespace: "flux-system", type: type, token: "receiver-token")]))
    }

    @Test func aGenericHMACReceiverAcceptsTheSignedCall() async throws {
        let server = try receiver("generic-hmac")
        let results = await fluxNotifier(server, kind: .genericHMAC, token: "receiver-token").notify(try affected(fluxChange, in: Fixtures.flux))
        #expect(results.map(\.ok) == [true])
        #expect(server.log.map { $0["verdict"] as? String } == ["ok"])
    }

    @Test func aGitHubReceiverAcceptsTheSignedPushEvent() async throws {
        let server = try receiver("github")
        let results = await fluxNotifier(server, kind: .github, token: "receiver-token").notify(try affected(fluxChange, in: Fixtures.flux))
        #expect(results.map(\.ok) == [true])
        #expect(server.log.first?["event"] as? String == "push")
        #expect(server.log.first?["verdict"] as? String == "ok")
    }

    @Test func aGenericReceiverNeedsNoSignature() async throws {
        let server = try receiver("generic")
        let results = await fluxNotifier(server, kind: .generic, token: "").notify(try affected(fluxChange, in: Fixtures.flux))
        #expect(results.map(\.status) == [200])
    }

    @Test func aWrongReceiverTokenIsRejectedAndReportedAsAFailure() async throws {
        let server = try receiver("generic-hmac")
        let results = await fluxNotifier(server, kind: .genericHMAC, token: "not-the-token").notify(try affected(fluxChange, in: Fixtures.flux))
        #expect(results.map(\.status) == [400])
        #expect(results.first?.ok == false)
        #expect(server.log.first?["verdict"] as? String == "unable to validate HMAC signature")
    }

    @Test func argoCDsWebhookGetsASignedPushNamingTheChangedFiles() async throws {
        let server = try LoopbackReconciler(.init(argoWebhookSecret: "webhook-secret"))
        let notifier = ReconcilerNotifier(configuration: NotifyConfiguration(
            argoWebhook: server.base.appendingPathComponent("api/webhook"), argoWebhookSecret: "webhook-secret",
            push: push(argoChange, repository: "git@github.com:acme/release-repo.git")))
        let results = await notifier.notify(try affected(argoChange, in: Fixtures.argocd))
        #expect(results.map(\.ok) == [true])
        let entry = try #require(server.log.first)
        #expect(entry["verdict"] as? String == "ok")
        #expect(entry["ref"] as? String == "refs/heads/main")
        #expect(entry["after"] as? String == head)
        #expect(entry["changed"] as? [String] == argoChange.sorted())
        #expect(entry["repository"] as? String == "https://github.com/acme/release-repo")
    }

    @Test func argoCDsWebhookRejectsAWrongSecret() async throws {
        let server = try LoopbackReconciler(.init(argoWebhookSecret: "webhook-secret"))
        let notifier = ReconcilerNotifier(configuration: NotifyConfiguration(
            argoWebhook: server.base.appendingPathComponent("api/webhook"), argoWebhookSecret: "guessed",
            push: push(argoChange, repository: "https://github.com/acme/release-repo.git")))
        let results = await notifier.notify(try affected(argoChange, in: Fixtures.argocd))
        #expect(results.map(\.status) == [400])
        #expect(server.log.first?["verdict"] as? String == "HMAC verification failed")
    }

    @Test func argoCDsAPIRefreshesEachAffectedApplication() async throws {
        let server = try LoopbackReconciler(.init(argoApps: ["checkout-dev", "checkout-prod"]))
        let notifier = ReconcilerNotifier(configuration: NotifyConfiguration(
            argoServer: server.base, argoToken: "argo-token", push: push(argoChange, repository: "https://github.com/acme/release-repo.git")))
        let results = await notifier.notify(try affected(argoChange, in: Fixtures.argocd))
        #expect(results.map(\.app) == ["checkout-dev", "checkout-prod"])
        #expect(results.allSatisfy { $0.ok })
        let log = server.log
        #expect(Set(log.compactMap { $0["app"] as? String }) == ["checkout-dev", "checkout-prod"])
        #expect(log.allSatisfy { ($0["query"] as? [String: [String]])?["refresh"] == ["normal"] })
    }

    @Test func onlyReconcilersWithAffectedAppsAreCalled() async throws {
        let server = try LoopbackReconciler(.init(receivers: [.init(name: "apps", namespace: "flux-system", type: "generic", token: "t")]))
        let notifier = ReconcilerNotifier(configuration: NotifyConfiguration(
            argoWebhook: server.base.appendingPathComponent("api/webhook"),
            fluxReceivers: [FluxReceiver(url: server.receiverURL("apps"), kind: .generic, token: nil)],
            push: push(fluxChange, repository: "https://github.com/acme/flux-release-repo")))
        let results = await notifier.notify(try affected(fluxChange, in: Fixtures.flux))
        #expect(results.map(\.kind) == ["flux-receiver"])
        #expect(server.log.map { $0["endpoint"] as? String } == ["flux-receiver"])
    }

    @Test func receiversThatCheckSignaturesNeedATokenBeforeAnythingIsSent() {
        let notifier = ReconcilerNotifier(configuration: NotifyConfiguration(
            fluxReceivers: [FluxReceiver(url: URL(string: "http://127.0.0.1:1/hook/x")!, kind: .github, token: nil)],
            push: push(fluxChange, repository: "https://github.com/acme/flux-release-repo")))
        #expect(throws: NotifyError.self) { try notifier.validate() }
    }

    @Test func theCommandSignsWithTheTokenFromTheEnvironmentAndNeverPrintsIt() throws {
        let server = try receiver("github")
        let child = try Spawned.start([Fixtures.capstan, "apps", "--repository", Fixtures.flux, "--files", "apps/base/redis/values.yaml",
                                       "--notify", "--flux-receiver", server.receiverURL("apps").absoluteString, "--flux-receiver-type", "github"],
                                      environment: ["FLUX_RECEIVER_TOKEN": "receiver-token"])
        let (status, output) = child.finish()
        #expect(status == 0)
        #expect(server.log.map { $0["verdict"] as? String } == ["ok"])
        #expect(output.contains("notified: flux-receiver"))
        #expect(!output.contains("receiver-token"))
        // The webhook path is the generic Receiver's credential: only its start is printed.
        #expect(!output.contains(server.webhookPaths["apps"] ?? "/hook/"))
    }

    @Test func theCommandFailsWhenAReceiverRejectsTheCall() throws {
        let server = try receiver("generic-hmac")
        let child = try Spawned.start([Fixtures.capstan, "apps", "--repository", Fixtures.flux, "--files", "apps/base/redis/values.yaml",
                                       "--notify", "--flux-receiver", server.receiverURL("apps").absoluteString, "--flux-receiver-type", "generic-hmac"],
                                      environment: ["FLUX_RECEIVER_TOKEN": "stale-token"])
        let (status, output) = child.finish()
        #expect(status == 1)
        #expect(output.contains("notify failed: flux-receiver"))
    }
}

/// The reconciler calls go through the product's HTTP transport: a token never follows a
/// redirect elsewhere, and a receiver's secret path never shows in a failure (issue 14, finding 7).
@Suite struct NotifyTransportTests {
    private func push(_ paths: [String]) -> PushDescription {
        PushDescription(repositoryURL: "https://github.com/acme/release-repo", branch: "main", before: String(repeating: "a", count: 40),
                        after: String(repeating: "b", count: 40), changedPaths: paths)
    }

    private func affected(_ paths: [String], in root: String) throws -> [AffectedApp] {
        ChangeImpact.affected(by: paths, in: try AppCatalog.discover(root: root))
    }

    @Test func anUnreachableReceiverIsReportedWithoutItsSecretPath() async throws {
        let secret = String(repeating: "f00d", count: 16)
        let change = ["apps/base/redis/values.yaml"]
        let notifier = ReconcilerNotifier(configuration: NotifyConfiguration(
            fluxReceivers: [FluxReceiver(url: URL(string: "http://127.0.0.1:1/hook/\(secret)")!, kind: .generic, token: nil)], push: push(change)))
        let results = await notifier.notify(try affected(change, in: Fixtures.flux))
        let result = try #require(results.first)
        #expect(!result.ok)
        #expect(!result.url.contains(secret) && !(result.message ?? "").contains(secret), "\(result)")
        let json = String(decoding: try JSONEncoder().encode(results), as: UTF8.self)
        #expect(!json.contains(secret.prefix(12)), "\(json)")
    }

    /// A receiver's refusal is its server's words: one printable line, cut, with what was
    /// sent (the secret path) masked before the cut; it was cut at 300 bytes first, showing
    /// a path across the cut in part, with the server's ESC, CR and bidi override as sent.
    @Test func aReceiversRefusalIsOnePrintableLineMaskedBeforeTheCut() async throws {
        let directory = try temporaryDirectory()
        let server = try HostileServer(in: directory, name: "receiver")
        let change = ["apps/base/redis/values.yaml"]
        let notifier = ReconcilerNotifier(configuration: NotifyConfiguration(
            fluxReceivers: [FluxReceiver(url: server.url("/refuse-echoing"), kind: .generic, token: nil)], push: push(change)))
        let results = await notifier.notify(try affected(change, in: Fixtures.flux))
        let result = try #require(results.first)
        #expect(!result.ok && result.status == 403)
        let message = try #require(result.message)
        #expect(message.hasPrefix("denied [2Jreceiver: ok"), "\(message.prefix(80).debugDescription)")
        #expect(!message.contains("/refuse-ec"), "the path across the cut was shown in part: \(message.debugDescription)")
        #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.value == 0x202E },
                "\(message.debugDescription)")
        #expect(message.count <= 300, "\(message.count) characters")
        #expect(!result.summary.contains("\n"), "\(result.summary.debugDescription)")
    }

    /// A server that echoes the token back in its error body, across the 300 characters shown:
    /// the token is masked before the cut (no part of it shows), and the words are one
    /// printable line (no ESC, no line of their own in the CI log).
    @Test(arguments: [285, 0])
    func anEchoedTokenAcrossTheCutIsMaskedAndTheWordsPrintable(padding: Int) async throws {
        let directory = try temporaryDirectory()
        let argo = try HostileServer(in: directory, name: "argo")
        let token = "argo-secret-token-" + UUID().uuidString
        let change = ["envs/dev/config.json", "charts/checkout/values-prod.yaml"]
        let notifier = ReconcilerNotifier(configuration: NotifyConfiguration(
            argoServer: argo.url("/cut/\(padding)/"), argoToken: token, push: push(change)))
        let results = await notifier.notify(try affected(change, in: Fixtures.argocd))
        let result = try #require(results.first)
        #expect(!result.ok && result.status == 400, "\(results)")
        let message = result.message ?? ""
        #expect(!message.contains(token.prefix(8)), "\(message)")
        #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(message.debugDescription)")
    }

    @Test func argoCDsTokenDoesNotFollowARedirectToAnotherOrigin() async throws {
        let directory = try temporaryDirectory()
        let argo = try HostileServer(in: directory, name: "argo")
        let elsewhere = try HostileServer(in: directory, name: "elsewhere")
        // Every path under this root redirects to the other origin.
        let change = ["envs/dev/config.json", "charts/checkout/values-prod.yaml"]
        let notifier = ReconcilerNotifier(configuration: NotifyConfiguration(
            argoServer: argo.url("/to-port/\(elsewhere.port)/"), argoToken: "argo-secret-token", push: push(change)))
        let results = await notifier.notify(try affected(change, in: Fixtures.argocd))
        #expect(!results.isEmpty && results.allSatisfy { !$0.ok }, "\(results)")
        #expect(elsewhere.requests.isEmpty, "the Argo CD token went to another origin")
    }
}
