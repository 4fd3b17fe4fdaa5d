import Foundation
import Testing

/// The README's first command (scripts/demo) works as written, with the binary these
/// tests built, and leaves the examples in the checkout untouched.
@Suite struct DemoScriptTests {
    @Test func theDemoBumpsPushesOnceAndValidatesClean() throws {
        let examples = TestSupport.packageRoot.appendingPathComponent("examples")
        let before = try TestSupport.snapshot(examples)
        let script = TestSupport.packageRoot.appendingPathComponent("scripts/demo")
        let result = try TestSupport.run(URL(fileURLWithPath: "/bin/bash"), [script.path], environment: [
            "PATH": "/usr/bin:/bin:/usr/local/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? ""),
            "HOME": FileManager.default.temporaryDirectory.path,
            "CAPSTAN_BIN": TestSupport.capstan.path,
        ])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("+          image: ghcr.io/stefanprodan/podinfo:6.7.1"), "set image shows its diff")
        #expect(result.stderr.contains("pushed ") && result.stderr.contains(" to capstan/podinfo-6.7.2"), "\(result.stderr)")
        #expect(result.stderr.contains("capstan/podinfo-6.7.2 already holds this change"), "the second update pushes nothing")
        #expect(result.stdout.contains("0 invalid") && !result.stdout.contains(" 1 invalid"), "the edited trees validate clean")
        #expect(try TestSupport.snapshot(examples) == before, "the demo edits copies only")
    }
}
