import Foundation
import Testing

/// The repository stands alone: a clone with nothing beside it builds and passes, so no
/// tracked file outside documentation may reach for the design folder the project's own
/// machines keep next to it, and the schema bundle must be reproducible from the sources
/// kept in the repository.
@Suite struct StandAloneTests {
    /// What reaching outside the repository for shared material looks like in a file.
    /// Spelt in pieces so that this file does not itself match what it looks for.
    static let folder = "sha" + "red"
    static let parent = "../"

    static func readsShared(_ text: String) -> Bool {
        text.contains(parent + folder) || ["specs", "keys", "schemas"].contains { text.contains(folder + "/" + $0) }
    }

    /// Tracked (or, in a copy without .git, present) files, relative to the package root.
    static func repositoryFiles() throws -> [String] {
        let root = TestSupport.packageRoot
        if FileManager.default.fileExists(atPath: root.appendingPathComponent(".git").path) {
            let listed = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/git"), ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], in: root)
            if listed.status == 0 { return listed.stdout.split(separator: "\0").map(String.init) }
        }
        var files: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let path = enumerator?.nextObject() as? String {
            if path.hasPrefix(".build") || path.hasPrefix("dist") || path.hasPrefix(".git/") { enumerator?.skipDescendants(); continue }
            files.append(path)
        }
        return files
    }

    @Test("no tracked file outside documentation reads the design folder beside the checkout")
    func nothingReadsShared() throws {
        var offenders: [String] = []
        for path in try Self.repositoryFiles() where !path.hasSuffix(".md") {
            let url = TestSupport.packageRoot.appendingPathComponent(path)
            guard let data = try? Data(contentsOf: url), !data.contains(0), let text = String(data: data, encoding: .utf8) else { continue }
            if Self.readsShared(text) { offenders.append(path) }
        }
        #expect(offenders.isEmpty, "these read material that exists only beside the project's own checkouts: \(offenders)")
    }

    @Test("the pattern catches what it is for")
    func patternCatchesReferences() {
        #expect(Self.readsShared("open(\"" + Self.parent + Self.folder + "/specs/github.json\")"))
        #expect(Self.readsShared("root + \"/" + Self.folder + "/keys\""))
        #expect(!Self.readsShared("Tests/Fixtures/forges/specs/github.json"))
    }

    @Test("the compiled-in schema bundle is what Schemas/sources.tar.xz generates, byte for byte")
    func schemaBundleReproduces() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-bundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let root = TestSupport.packageRoot
        let result = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", root.appendingPathComponent("scripts/generate-schemas.py").path, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        for file in ["bundle.c", "include/CSchemaBundle.h"] {
            let generated = try Data(contentsOf: out.appendingPathComponent(file))
            let committed = try Data(contentsOf: root.appendingPathComponent("Sources/CSchemaBundle/" + file))
            #expect(generated == committed, "Sources/CSchemaBundle/\(file) differs from what the schema sources generate")
        }
    }

    @Test("every kept third-party file names its provenance and licence")
    func provenanceIsKept() throws {
        let root = TestSupport.packageRoot
        for (readme, names) in [
            ("Schemas/README.md", ["sources.tar.xz", "kubernetes-validate", "datree"]),
            ("Tests/Fixtures/forges/README.md", ["github.json", "gitea.json", "bitbucket-cloud.json", "bitbucket-datacenter.json", "azure-devops.json", "gitlab.json"]),
            ("Tests/Fixtures/signatures/keys/README.md", ["github-web-flow-4AEE18F83AFDEB23.asc"]),
            ("Tests/Fixtures/reconcilers/README.md", ["argocd-swagger.json", "LICENSE-apache-2.0", "argoproj/argo-cd"]),
            ("Tests/Fixtures/junit/README.md", ["junit-10.xsd", "jenkinsci/xunit-plugin", "MIT License"]),
            ("Tests/Fixtures/repos/README.md", ["flux2-kustomize-helm-example", "argocd-example-apps", "kubernetes/examples", "stefanprodan/podinfo", "LICENSE"]),
        ] {
            let text = try String(contentsOf: root.appendingPathComponent(readme), encoding: .utf8)
            for name in names { #expect(text.contains(name), "\(readme) says nothing of \(name)") }
        }
    }
}
