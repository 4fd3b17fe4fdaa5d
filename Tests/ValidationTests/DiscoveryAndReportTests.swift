import Foundation
import Testing
import Validation

@Suite("Discovery, examples and reports")
struct DiscoveryAndReportTests {
    @Test(".gitignore, Helm charts, CI files, values files and non-Kubernetes YAML are skipped, not reported")
    func skipsWhatIsNotKubernetes() throws {
        let report = try Fixtures.validate("ignored")
        #expect(report.findings.isEmpty)
        #expect(report.files == 1)
        #expect(report.resources == 1)
    }

    @Test("a file named on the command line that is not text is an error naming it; met in a walk it is passed over")
    func namedBinaryFile() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-binary-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let file = "\(root)/cm.yaml"
        try Data("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\u{0}b\n".utf8).write(to: URL(fileURLWithPath: file))

        let named = try ValidationRun(options: ValidationOptions(paths: [file])).run()
        #expect(named.findings.map { "\($0.file):\($0.line):\($0.column) \($0.rule)" } == ["\(file):4:10 yaml-syntax"])
        #expect(named.findings.first?.message == "is not a text file: it holds a NUL byte")
        #expect(named.errors == 1)

        let walked = try ValidationRun(options: ValidationOptions(paths: [root])).run()
        #expect(walked.findings.isEmpty)
        #expect(walked.files == 0 && walked.skippedFiles == 1)
    }

    @Test("a file named on the command line that cannot be read is an error with the system's reason")
    func namedUnreadableFile() throws {
        // /proc/self/mem refuses reads at offset 0 (EIO), even for root.
        let report = try ValidationRun(options: ValidationOptions(paths: ["/proc/self/mem"])).run()
        #expect(report.findings.map(\.text) == ["/proc/self/mem:1:1: error [yaml-syntax] cannot be read: Input/output error"])
    }

    @Test("symbolic links met in a walk are not followed: no loop, no tree twice, nothing outside the tree; a named link is")
    func symlinks() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-links-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let root = "\(base)/tree"
        try FileManager.default.createDirectory(atPath: "\(root)/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(base)/outside", withIntermediateDirectories: true)
        let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n"
        try Data(configMap.utf8).write(to: URL(fileURLWithPath: "\(root)/sub/cm.yaml"))
        try Data(configMap.replacingOccurrences(of: "one", with: "elsewhere").utf8).write(to: URL(fileURLWithPath: "\(base)/outside/secret.yaml"))
        let links = FileManager.default
        try links.createSymbolicLink(atPath: "\(root)/sub/up", withDestinationPath: "..")            // a loop
        try links.createSymbolicLink(atPath: "\(root)/again", withDestinationPath: "sub")            // the tree twice
        try links.createSymbolicLink(atPath: "\(root)/twin.yaml", withDestinationPath: "sub/cm.yaml")
        try links.createSymbolicLink(atPath: "\(root)/out.yaml", withDestinationPath: "../outside/secret.yaml")
        try links.createSymbolicLink(atPath: "\(root)/out", withDestinationPath: "../outside")

        let walked = try ValidationRun(options: ValidationOptions(paths: [root])).run()
        #expect(walked.files == 1 && walked.resources == 1, "\(walked.summary)")
        #expect(walked.findings.isEmpty, "\(walked.findings.map(\.text))")

        let named = try ValidationRun(options: ValidationOptions(paths: ["\(root)/out.yaml", "\(root)/again"])).run()
        #expect(named.files == 2, "\(named.summary)")
    }

    @Test("a file whose name is not UTF-8 is an error naming it with escapes, not passed over")
    func undecodableName() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-names-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // \xFF.yaml: bytes no String can hold, so the file is created through creat(2).
        let name = Array(root.utf8) + [UInt8(ascii: "/"), 0xFF] + Array(".yaml".utf8) + [0]
        let descriptor = name.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { creat($0.baseAddress!, 0o644) } }
        #expect(descriptor >= 0)
        let body = Array("apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: hidden}\n".utf8)
        _ = body.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)

        let report = try ValidationRun(options: ValidationOptions(paths: [root])).run()
        #expect(report.findings.map(\.text) == ["\(root)/\\xFF.yaml:1:1: error [yaml-syntax] the name is not UTF-8, so it cannot be read or reported; rename it"])
    }

    @Test("--exclude and --include globs")
    func globs() throws {
        let excluded = try Fixtures.validate("broken") { $0.exclude = ["*.yaml"] }
        #expect(excluded.files == 0)
        let included = try Fixtures.validate("broken") { $0.include = ["wrong-*.yaml"] }
        #expect(included.positions == ["broken/wrong-type.yaml:6:13 schema"])
    }

    @Test("both example release repositories validate clean, strict, with their own repository URL")
    func examplesAreClean() throws {
        let flux = try ValidationRun(options: {
            var options = ValidationOptions(paths: ["\(Fixtures.examples)/flux-release-repo"])
            options.strict = true
            options.repositoryURLs = ["https://github.com/acme/flux-release-repo"]
            return options
        }()).run()
        #expect(flux.findings.isEmpty, "\(flux.positions)")
        #expect(flux.resources == 31 && flux.valid == 31)
        let argo = try ValidationRun(options: {
            var options = ValidationOptions(paths: ["\(Fixtures.examples)/argocd-release-repo"])
            options.strict = true
            options.repositoryURLs = ["https://github.com/acme/release-repo.git"]
            return options
        }()).run()
        #expect(argo.findings.isEmpty, "\(argo.positions)")
        #expect(argo.resources == 15 && argo.valid == 15)
    }

    @Test("reports: text lines carry file:line:column and rule; github annotations; SARIF and JUnit name the rule")
    func formats() throws {
        let report = try Fixtures.validate("broken/wrong-type.yaml")
        let text = ReportFormat.text.render(report)
        #expect(text.contains("broken/wrong-type.yaml:6:13: error [schema] Deployment/api: spec.replicas"))
        #expect(text.hasSuffix("1 file, 1 resource: 0 valid, 1 invalid, 0 skipped; 1 error, 0 warnings (Kubernetes 1.37.0)\n"))
        #expect(ReportFormat.github.render(report).contains(",line=6,col=13,title=schema::Deployment/api: spec.replicas"))
        let sarif = ReportFormat.sarif.render(report)
        #expect(sarif.contains("\"ruleId\" : \"schema\"") && sarif.contains("\"startLine\" : 6"))
        let junit = ReportFormat.junit.render(report)
        #expect(junit.contains("<failure type=\"schema\""))
        let json = try JSONSerialization.jsonObject(with: Data(ReportFormat.json.render(report).utf8)) as? [String: Any]
        #expect(json?["invalid"] as? Int == 1)
    }

    @Test("--kustomize maps an error in the rendered output back to the patch that wrote it",
          .enabled(if: Fixtures.isInstalled("kustomize") || Fixtures.isInstalled("kubectl")))
    func kustomizeErrorMapsToPatch() throws {
        #expect(try Fixtures.validate("render").findings.isEmpty)  // the patch alone is not a resource
        let report = try Fixtures.validate("render") { $0.kustomize = true }
        #expect(report.positions == ["render/overlay/scale.yaml:6:13 schema"])
        #expect(report.findings[0].resource == "Deployment/prod-api")
        #expect(report.findings[0].path == ["spec", "replicas"])
    }

    @Test("--helm renders charts with helm template and points findings at the template")
    func helmRendering() throws {
        let report = try Fixtures.validate("helm") {
            $0.helm = true
            $0.helmBinary = Fixtures.path("helm/fake-helm")
        }
        #expect(report.positions == ["helm/charts/web/templates/service.yaml:1:1 schema"])
        #expect(report.findings[0].message.hasPrefix("spec.ports[0].port: expected integer, found string \"eighty\""))
    }

    @Test("--helm without helm installed fails (exit 2) saying what to install", .enabled(if: !Fixtures.isInstalled("helm")))
    func helmMissing() throws {
        #expect {
            try Fixtures.validate("helm") { $0.helm = true }
        } throws: { error in
            "\(error)".hasPrefix("--helm needs helm on PATH, which is not installed: install helm 3 (https://helm.sh/docs/intro/install/)")
        }
    }

    @Test("--helm-binary naming no executable fails, even where helm is installed")
    func helmBinaryMissing() throws {
        #expect(throws: ValidationFailure.self) {
            try Fixtures.validate("helm") { $0.helm = true; $0.helmBinary = "/nonexistent/helm" }
        }
    }

    @Test("--render-optional: without helm, charts are a note, not a failure", .enabled(if: !Fixtures.isInstalled("helm")))
    func helmMissingButOptional() throws {
        let report = try Fixtures.validate("helm") { $0.helm = true; $0.renderOptional = true }
        #expect(report.findings.isEmpty)
        #expect(report.notes.first?.hasPrefix("--helm: helm not installed; 1 chart not rendered") == true)
    }

    @Test("--kustomize renders overlays with kubectl and validates the output", .enabled(if: Fixtures.isInstalled("kustomize") || Fixtures.isInstalled("kubectl")))
    func kustomizeRendering() throws {
        var options = ValidationOptions(paths: ["\(Fixtures.examples)/flux-release-repo/apps"])
        options.kustomize = true
        let report = try ValidationRun(options: options).run()
        #expect(report.findings.isEmpty, "\(report.positions)")
        #expect(report.resources > 10)
    }
}
