import Foundation
import Testing

/// `capstan apps` as CI calls it.
@Suite struct CommandTests {
    @Test func withNoChangeEveryAppIsListedWithItsSources() throws {
        let output = try Spawned.run([Fixtures.capstan, "apps", "--repository", Fixtures.argocd])
        #expect(output.contains("checkout-prod  [Argo CD Application from ApplicationSet checkout]"))
        #expect(output.contains("    sources: charts/checkout (helm)"))
        #expect(output.contains("14 apps"))
    }

    @Test func filesNameTheChangeAndEachAffectedAppSaysWhy() throws {
        let output = try Spawned.run([Fixtures.capstan, "apps", "--repository", Fixtures.argocd, "--files", "envs/prod/ingress-values.yaml"])
        #expect(output.contains("ingress-nginx  [Argo CD Application]"))
        #expect(output.contains("    changed: envs/prod/ingress-values.yaml (helm-values)"))
        #expect(output.contains("1 app affected by 1 changed path"))
    }

    @Test func prWithoutCommentIsAUsageError() throws {
        let child = try Spawned.start([Fixtures.capstan, "apps", "--repository", Fixtures.argocd, "--files", "platform/namespace.yaml", "--pr", "1"])
        #expect(child.finish().status == 2)
    }

    @Test func notifyWithoutAChangeIsAUsageError() throws {
        let child = try Spawned.start([Fixtures.capstan, "apps", "--repository", Fixtures.argocd, "--notify", "--flux-receiver", "http://127.0.0.1:9/hook/x"])
        #expect(child.finish().status == 2)
    }
}
