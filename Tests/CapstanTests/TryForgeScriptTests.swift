import Foundation
import Testing

/// The README's walk from zero to a merged release-repo PR (scripts/try-forge) works as
/// written, with the binary these tests built.
@Suite struct TryForgeScriptTests {
    @Test func theWalkThroughEndsWithTheBumpMergedOnMain() throws {
        let script = TestSupport.packageRoot.appendingPathComponent("scripts/try-forge")
        let result = try TestSupport.run(URL(fileURLWithPath: "/bin/bash"), [script.path], environment: [
            "PATH": "/usr/bin:/bin:/usr/local/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? ""),
            "HOME": FileManager.default.temporaryDirectory.path,
            "CAPSTAN_BIN": TestSupport.capstan.path,
        ])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("merged PR #1"))
        #expect(result.stderr.contains("PR #1: checks success, mergeable, on "), "the log says why it merged: \(result.stderr)")
        #expect(result.stderr.contains("http: PUT /repos/acme/release/pulls/1/merge → 200"), "--verbose shows each request")
        #expect(result.stdout.contains("Update podinfo to 6.7.1 (#1)"))
        #expect(result.stdout.contains("newTag: 6.7.1"))
    }
}
