import Foundation
import Testing
import Validation

@Suite("GitOps rules")
struct RuleTests {
    @Test("a plaintext Secret is an error; a SOPS-encrypted one passes, even under --strict")
    func plaintextSecret() throws {
        let report = try Fixtures.validate("broken/plaintext-secret.yaml")
        #expect(report.positions == ["broken/plaintext-secret.yaml:7:1 plaintext-secret"])
        #expect(try Fixtures.validate("corpus/secret-sops.yaml") { $0.strict = true }.findings.isEmpty)
    }

    @Test("removed apiVersions are errors for the target release, deprecated ones warnings before removal")
    func apiVersions() throws {
        let report = try Fixtures.validate("broken/removed-api.yaml") { $0.rules.disabled = [.schemaMissing] }
        #expect(report.positions == ["broken/removed-api.yaml:1:13 removed-api", "broken/removed-api.yaml:8:13 removed-api"])
        let older = try Fixtures.validate("broken/removed-api.yaml") {
            $0.kubernetesVersion = "1.25"
            $0.rules.disabled = [.schemaMissing]
        }
        #expect(older.positions == ["broken/removed-api.yaml:1:13 removed-api", "broken/removed-api.yaml:8:13 deprecated-api"])
        #expect(older.findings[1].severity == .warning)
    }

    @Test("images: no tag, latest, bad repository name, bad digest")
    func images() throws {
        let report = try Fixtures.validate("broken/images.yaml")
        #expect(report.positions == [
            "broken/images.yaml:11:18 image-untagged", "broken/images.yaml:14:18 image-latest",
            "broken/images.yaml:16:18 image-invalid", "broken/images.yaml:18:18 image-invalid",
        ])
    }

    @Test("the same kind, namespace and name twice in one unit is a duplicate, pointing at the second")
    func duplicateResource() throws {
        let report = try Fixtures.validate("broken/duplicate-resource.yaml")
        #expect(report.positions == ["broken/duplicate-resource.yaml:10:9 duplicate-resource"])
        #expect(report.findings[0].message.hasSuffix("duplicate-resource.yaml:4:9"))
    }

    @Test("sibling folders (teams, clusters, environments) never collide: nothing applies them together")
    func duplicatesAcrossSiblingFolders() throws {
        #expect(try Fixtures.validate("duplicates-tree").findings.isEmpty)
        let flux = try ValidationRun(options: ValidationOptions(paths: ["\(Fixtures.examples)/flux-release-repo"])).run()
        #expect(!flux.findings.contains { $0.rule == "duplicate-resource" })
    }

    @Test("duplicates are judged within one folder and within one Flux path's tree, not across clusters")
    func duplicatesWithinWhatIsAppliedTogether() throws {
        let report = try Fixtures.validate("duplicate-units")
        #expect(report.positions == [
            "duplicate-units/plain/two.yaml:4:9 duplicate-resource",
            "duplicate-units/platform/b/one.yaml:4:9 duplicate-resource",
        ])
        #expect(report.findings.last?.message.hasSuffix("duplicate-units/platform/a/one.yaml:4:9") == true)
    }

    @Test("a HelmRelease whose source is defined nowhere is reported at sourceRef.name")
    func helmSource() throws {
        let report = try Fixtures.validate("broken/helmrelease-source.yaml")
        #expect(report.positions == ["broken/helmrelease-source.yaml:14:15 helmrelease-source-missing"])
    }

    @Test("kustomization entries naming missing files; remote bases skipped; patch files not validated as resources")
    func kustomization() throws {
        let report = try Fixtures.validate("kustomize")
        #expect(report.positions == [
            "kustomize/base/kustomization.yaml:5:5 kustomization-missing-file",
            "kustomize/overlay/kustomization.yaml:5:5 kustomization-missing-file",
            "kustomize/overlay/kustomization.yaml:8:11 kustomization-missing-file",
        ])
        #expect(report.skippedFiles == 1)  // replicas.yaml, a patch
    }

    @Test("a Flux Kustomization reading this repository must point at an existing directory")
    func fluxPath() throws {
        let report = try Fixtures.validate("flux")
        #expect(report.positions == ["flux/clusters/prod/sync.yaml:32:9 flux-path-missing"])
    }

    @Test("validating a folder of example repositories checks each against its own root (its .capstan.yaml)")
    func examplesFolderIsClean() throws {
        let report = try ValidationRun(options: ValidationOptions(paths: [Fixtures.examples])).run()
        #expect(report.errors == 0, "\(report.positions)")
        #expect(report.resources >= 46)
    }

    @Test("Flux paths start at the Git top level, whichever subfolder is validated")
    func pathsFromGitTopLevel() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-toplevel-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: "\(root)/.git", withIntermediateDirectories: true)
        for folder in ["clusters", "apps"] {
            try FileManager.default.copyItem(atPath: Fixtures.path("flux/\(folder)"), toPath: "\(root)/\(folder)")
        }
        for given in ["\(root)/clusters", "\(root)/clusters/prod/sync.yaml", root] {
            let report = try ValidationRun(options: ValidationOptions(paths: [given])).run()
            #expect(report.findings.map { "\($0.line) \($0.rule)" } == ["32 flux-path-missing"], "\(given)")
        }
    }

    @Test("an Argo CD Application whose repoURL is this repository must point at an existing directory")
    func argoPath() throws {
        let report = try Fixtures.validate("argocd") { $0.repositoryURLs = ["https://github.com/acme/release-repo.git"] }
        #expect(report.positions == ["argocd/apps/platform.yaml:26:11 argocd-path-missing"])
        #expect(try Fixtures.validate("argocd").findings.isEmpty)  // another repository: not checked
    }

    @Test("the repository's own remote, read from .git/config, identifies Argo CD sources without --repo-url")
    func remoteFromGitConfig() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-remote-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: "\(root)/.git", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("argocd/apps"), toPath: "\(root)/apps")
        try FileManager.default.copyItem(atPath: Fixtures.path("argocd/platform"), toPath: "\(root)/platform")
        try Data("""
        [core]
        \tbare = false
        [remote "origin"]
        \turl = git@github.com:acme/release-repo.git
        \tfetch = +refs/heads/*:refs/remotes/origin/*
        """.utf8).write(to: URL(fileURLWithPath: "\(root)/.git/config"))
        let report = try ValidationRun(options: ValidationOptions(paths: [root])).run()
        #expect(report.findings.map(\.rule) == ["argocd-path-missing"])
        #expect(report.findings.first?.line == 26)
    }

    @Test("rules can be disabled and their severity changed")
    func switches() throws {
        let off = try Fixtures.validate("broken/images.yaml") { $0.rules.disabled = [.imageLatest, .imageUntagged] }
        #expect(off.findings.map(\.rule) == ["image-invalid", "image-invalid"])
        let softened = try Fixtures.validate("broken/images.yaml") { $0.rules.severities = [.imageInvalid: .warning] }
        #expect(softened.errors == 0)
    }
}
