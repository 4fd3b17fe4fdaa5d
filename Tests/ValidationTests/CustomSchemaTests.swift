import Foundation
import Testing
import Validation

@Suite("CRDs and user schemas")
struct CustomSchemaTests {
    @Test("a CRD in the tree becomes the schema of its kind: bounds, enum, int-or-string, duration format")
    func crdInTree() throws {
        let report = try Fixtures.validate("crd")
        #expect(report.positions == [
            "crd/widgets.yaml:19:9 schema", "crd/widgets.yaml:20:11 schema", "crd/widgets.yaml:21:9 schema", "crd/widgets.yaml:22:12 schema",
        ])
        #expect(report.valid == 2)  // the CRD itself and the good Widget
        #expect(report.invalid == 1)
    }

    @Test("--crd supplies a CRD from outside the tree")
    func crdOption() throws {
        let report = try Fixtures.validate("crd/widgets.yaml") { $0.crdFiles = [Fixtures.path("crd/widget-crd.yaml")] }
        #expect(report.findings.count == 4)
        let without = try Fixtures.validate("crd/widgets.yaml")
        #expect(without.positions == ["crd/widgets.yaml:2:1 schema-missing", "crd/widgets.yaml:15:1 schema-missing"])
        #expect(without.skipped == 2)
    }

    @Test("--schema-dir with the {group}/{kind}_{version}.json layout: pattern, maxLength, closed objects")
    func schemaDirectory() throws {
        let report = try Fixtures.validate("gadgets") { $0.schemaDirectories = [Fixtures.path("schema-dir")] }
        #expect(report.positions == ["gadgets/gadgets.yaml:13:9 schema", "gadgets/gadgets.yaml:13:9 schema", "gadgets/gadgets.yaml:14:3 schema"])
    }

    @Test("--schema-dir with the flat {kind}_{version}.json layout matches any group")
    func flatSchemaDirectory() throws {
        let report = try Fixtures.validate("gizmos") { $0.schemaDirectories = [Fixtures.path("schema-dir-flat")] }
        #expect(report.positions == ["gizmos/gizmo.yaml:6:10 schema"])
        #expect(report.findings[0].message == "spec.count: -1 is less than the minimum 0")
    }

    @Test("--schema-dir: a kind, version or group that is not a Kubernetes name never reaches a file outside the folder",
          arguments: [("../outside/v1", "Thing"), ("v1", "../outside/thing"), ("x/../../outside", "Thing")])
    func schemaDirectoryStaysInside(apiVersion: String, kind: String) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-schemadir-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for folder in ["schemas/x", "outside", "manifests"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
        // Schemas a crafted name would reach from the folder: each demands a field the resource lacks.
        let strict = #"{"type": "object", "required": ["spec"]}"#
        for name in ["outside/thing_v1.json", "thing_outside.json"] {
            #expect(FileManager.default.createFile(atPath: "\(root)/\(name)", contents: Data(strict.utf8)))
        }
        let manifest = "apiVersion: \(apiVersion)\nkind: \(kind)\nmetadata:\n  name: a\n"
        #expect(FileManager.default.createFile(atPath: "\(root)/manifests/thing.yaml", contents: Data(manifest.utf8)))
        var options = ValidationOptions(paths: ["\(root)/manifests/thing.yaml"])
        options.schemaDirectories = ["\(root)/schemas"]
        let report = try ValidationRun(options: options).run()
        #expect(!report.findings.contains { $0.rule == "schema" }, "a schema outside --schema-dir was used: \(report.findings)")
        // Reported as a kind without schema (skipped), or in the core group as an unknown kind.
        #expect(report.skipped == 1 || report.findings.map(\.rule) == ["unknown-kind"], "\(report.findings)")
    }

    @Test("a CRD in the tree whose pattern backtracks catastrophically in ICU is checked at once, with Go's answer")
    func hostilePatternInTree() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-pattern-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: traps.example.com
            spec:
              group: example.com
              names: {kind: Trap, plural: traps, singular: trap, listKind: TrapList}
              scope: Namespaced
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties:
                        spec:
                          type: object
                          properties:
                            name: {type: string, pattern: "^(a+)+$"}
            ---
            apiVersion: example.com/v1
            kind: Trap
            metadata:
              name: t
            spec:
              name: \(String(repeating: "a", count: 2_000))!
            """
        #expect(FileManager.default.createFile(atPath: "\(root)/trap.yaml", contents: Data(crd.utf8)))
        let report = try ValidationRun(options: ValidationOptions(paths: [root])).run()
        #expect(report.findings.map { "\($0.line):\($0.column) \($0.rule)" } == ["27:9 schema"], "\(report.findings)")
    }

    @Test("--skip-kind leaves a kind unvalidated and counts it as skipped")
    func skipKind() throws {
        let report = try Fixtures.validate("broken/wrong-type.yaml") { $0.skipKinds = ["Deployment"] }
        #expect(report.findings.isEmpty)
        #expect(report.skipped == 1)
    }
}
