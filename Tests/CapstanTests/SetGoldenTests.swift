import Foundation
import Testing

/// Each folder under Tests/Fixtures/set is one case: `input/` is a tree, `args` holds
/// `capstan set` invocations (one per line), `expected/` is the tree afterwards, byte for
/// byte. Running the invocations a second time must change nothing.
/// Record new expectations with CAPSTAN_RECORD=1 (then read every diff before committing).
@Suite struct SetGoldenTests {
    static let cases: [String] = {
        let directory = TestSupport.fixtures.appendingPathComponent("set")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted()
    }()

    @Test(arguments: cases)
    func treeAfterSetEqualsExpectedByteForByte(name: String) throws {
        let fixture = TestSupport.fixtures.appendingPathComponent("set/\(name)")
        let work = try TestSupport.temporaryDirectory("set-\(name)")
        defer { try? FileManager.default.removeItem(at: work) }
        let tree = work.appendingPathComponent("tree")
        try TestSupport.copyTree(fixture.appendingPathComponent("input"), to: tree)
        let invocations = try String(contentsOf: fixture.appendingPathComponent("args"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }

        for arguments in invocations {
            let result = try TestSupport.capstan(["set"] + arguments + ["--root", tree.path])
            #expect(result.status == 0, "capstan set \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        let expectedDirectory = fixture.appendingPathComponent("expected")
        if ProcessInfo.processInfo.environment["CAPSTAN_RECORD"] == "1" {
            try TestSupport.copyTree(tree, to: expectedDirectory)
            return
        }
        let actual = try TestSupport.snapshot(tree)
        let expected = try TestSupport.snapshot(expectedDirectory)
        #expect(actual.keys.sorted() == expected.keys.sorted())
        for (path, bytes) in expected {
            #expect(actual[path] == bytes, "\(name)/\(path) differs from expected")
        }

        for arguments in invocations {
            let again = try TestSupport.capstan(["set"] + arguments + ["--root", tree.path])
            #expect(again.status == 0)
            #expect(again.stdout.isEmpty, "second run printed a diff: \(again.stdout)")
            #expect(again.stderr.contains("nothing to change"))
        }
        #expect(try TestSupport.snapshot(tree) == expected)
    }
}
