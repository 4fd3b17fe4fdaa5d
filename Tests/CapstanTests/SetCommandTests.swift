import Foundation
import Testing

/// `capstan set` as a CI job sees it: exit codes, messages, and what is (not) written.
@Suite struct SetCommandTests {
    private func tree(_ files: [String: String]) throws -> URL {
        let root = try TestSupport.temporaryDirectory("set-cli")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func aFileThatDoesNotParseStopsEverythingWithItsPosition() throws {
        let root = try tree([
            "a/good.yaml": "image: ghcr.io/acme/app:1.0\n",
            "b/bad.yaml": "image: ghcr.io/acme/app:1.0\nlist: [1, 2\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try TestSupport.snapshot(root)
        let result = try TestSupport.capstan(["set", "image", "ghcr.io/acme/app:2.0", "--root", root.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("b/bad.yaml:3:1:"), "\(result.stderr)")
        #expect(try TestSupport.snapshot(root) == before)
    }

    @Test func pathsLeavingTheTreeAreRefused() throws {
        let outside = try tree(["secret.yaml": "image: ghcr.io/acme/app:1.0\n"])
        let root = try tree(["in.yaml": "image: ghcr.io/acme/app:1.0\n"])
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: outside)
        }
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link.yaml"),
                                                   withDestinationURL: outside.appendingPathComponent("secret.yaml"))
        let before = try TestSupport.snapshot(outside)
        let viaLink = try TestSupport.capstan(["set", "image", "ghcr.io/acme/app:2.0", "--root", root.path])
        #expect(viaLink.status == 1)
        #expect(viaLink.stderr.contains("link.yaml"))
        #expect(viaLink.stderr.contains("outside the tree"))
        let viaDots = try TestSupport.capstan(["set", "value", "../x.yaml", "a=b", "--root", root.path])
        #expect(viaDots.status == 1)
        #expect(viaDots.stderr.contains(".. segments are refused"))
        #expect(try TestSupport.snapshot(outside) == before)
        #expect(try String(contentsOf: root.appendingPathComponent("in.yaml"), encoding: .utf8) == "image: ghcr.io/acme/app:1.0\n")
    }

    @Test func dryRunPrintsTheDiffAndWritesNothing() throws {
        let root = try tree(["values.yaml": "image:\n  repository: ghcr.io/acme/app\n  tag: \"1.0\"\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try TestSupport.capstan(["set", "image", "ghcr.io/acme/app:1.1", "--root", root.path, "--dry-run"])
        #expect(result.status == 0)
        #expect(result.stdout == """
        --- a/values.yaml
        +++ b/values.yaml
        @@ -1,3 +1,3 @@
         image:
           repository: ghcr.io/acme/app
        -  tag: "1.0"
        +  tag: "1.1"

        """)
        #expect(result.stderr.contains("would change 1 value in 1 file"))
        #expect(try String(contentsOf: root.appendingPathComponent("values.yaml"), encoding: .utf8).contains("\"1.0\""))
    }

    @Test func jsonOutcomeListsEveryChange() throws {
        let root = try tree(["d.yaml": "containers:\n- image: nginx:1.25\n- image: docker.io/library/nginx:1.25\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try TestSupport.capstan(["set", "image", "nginx:1.27", "--root", root.path, "--output", "json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["changed"] as? Bool == true)
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(changes.map { $0["to"] as? String } == ["nginx:1.27", "docker.io/library/nginx:1.27"])
        #expect(changes.map { $0["line"] as? Int } == [2, 3])
        #expect(changes.first?["from"] as? String == "nginx:1.25")
    }

    @Test func nothingToChangeIsSuccess() throws {
        let root = try tree(["d.yaml": "image: nginx:1.27\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try TestSupport.capstan(["set", "image", "nginx:1.27", "--root", root.path])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("nothing to change"))
    }

    /// A typo in an image or chart name must not pass as "nothing to change": if any
    /// requested name is referenced nowhere, the job fails and writes nothing, even for the
    /// names that did match.
    @Test func aNameReferencedNowhereFailsAndWritesNothing() throws {
        let root = try tree([
            "d.yaml": "image: ghcr.io/acme/app:1.0\n",
            "Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 18.6.1\n    repository: oci://registry-1.docker.io/bitnamicharts\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let before = try TestSupport.snapshot(root)
        let image = try TestSupport.capstan(["set", "image", "ghcr.io/acme/app:2.0", "ghcr.io/acme/ap:2.0", "--root", root.path])
        #expect(image.status == 1)
        #expect(image.stderr.contains("references image ghcr.io/acme/ap ") && image.stderr.contains("nothing was written"), "\(image.stderr)")
        let chart = try TestSupport.capstan(["set", "chart", "rediss", "18.7.0", "--root", root.path])
        #expect(chart.status == 1)
        #expect(chart.stderr.contains("references chart rediss"), "\(chart.stderr)")
        #expect(try TestSupport.snapshot(root) == before)
        let floating = try tree(["f.yaml": "image: ghcr.io/acme/app\n"])
        defer { try? FileManager.default.removeItem(at: floating) }
        let untagged = try TestSupport.capstan(["set", "image", "ghcr.io/acme/app:2.0", "--root", floating.path])
        #expect(untagged.status == 0, "an untagged reference floats on purpose and is found, not missing: \(untagged.stderr)")
    }

    @Test func badCommandLineExitsTwo() throws {
        let result = try TestSupport.capstan(["set", "image", "Not A Reference"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("invalid image"))
    }

    @Test func ambiguousMultiDocumentValueNeedsADocument() throws {
        let root = try tree(["m.yaml": "kind: A\nspec: {replicas: 1}\n---\nkind: B\nspec: {replicas: 2}\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let ambiguous = try TestSupport.capstan(["set", "value", "m.yaml", "spec.replicas=3", "--root", root.path])
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr.contains("documents 0, 1"))
        let picked = try TestSupport.capstan(["set", "value", "m.yaml", "spec.replicas=3", "--document", "1", "--root", root.path])
        #expect(picked.status == 0)
        #expect(try String(contentsOf: root.appendingPathComponent("m.yaml"), encoding: .utf8)
            == "kind: A\nspec: {replicas: 1}\n---\nkind: B\nspec: {replicas: 3}\n")
    }

    @Test func permissionsSurviveTheRewrite() throws {
        let root = try tree(["x.yaml": "image: nginx:1.0\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("x.yaml").path
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file)
        #expect(try TestSupport.capstan(["set", "image", "nginx:1.1", "--root", root.path]).status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    /// Argo CD 3.1+ native OCI sources name the chart in the URL (`repoURL: oci://…/nginx`,
    /// `path: .`, no `chart` key) and pin its version in `targetRevision` (the example of
    /// Argo CD's OCI user guide, single and multi-source).
    @Test func anArgoNativeOCISourceHasItsTargetRevisionSet() throws {
        let application = """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: nginx
        spec:
          project: default
          source:
            path: .
            repoURL: oci://registry-1.docker.io/bitnamicharts/nginx
            targetRevision: 15.9.0
            helm:
              valuesObject:
                some-value: foo
          destination:
            name: "in-cluster"
            namespace: nginx

        """
        let multiSource = """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: web
        spec:
          sources:
            - repoURL: oci://ghcr.io/acme/charts/nginx
              targetRevision: "15.9.0" # pinned
              path: .
            - repoURL: oci://ghcr.io/acme/charts/nginx-exporter
              targetRevision: 1.0.0
              path: .
            - repoURL: https://github.com/acme/release-repo.git
              targetRevision: main
              ref: values

        """
        let root = try tree(["apps/nginx.yaml": application, "apps/web.yaml": multiSource])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try TestSupport.capstan(["set", "chart", "nginx", "15.10.0", "--root", root.path])
        #expect(result.status == 0, "\(result.stderr)")
        let single = try String(contentsOf: root.appendingPathComponent("apps/nginx.yaml"), encoding: .utf8)
        #expect(single == application.replacingOccurrences(of: "targetRevision: 15.9.0", with: "targetRevision: 15.10.0"))
        let multi = try String(contentsOf: root.appendingPathComponent("apps/web.yaml"), encoding: .utf8)
        #expect(multi == multiSource.replacingOccurrences(of: "targetRevision: \"15.9.0\"", with: "targetRevision: \"15.10.0\""))
    }
}
