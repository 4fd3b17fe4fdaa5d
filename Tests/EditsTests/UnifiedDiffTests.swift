import Edits
import Foundation
import Testing

@Suite struct UnifiedDiffTests {
    @Test func matchesDiffUOnSeparatedChanges() throws {
        var old = (1...40).map { "line \($0)\n" }
        let original = old.joined()
        old[4] = "line five\n"
        old.insert("inserted\n", at: 30)
        old.remove(at: 38)
        let edited = old.joined()
        let ours = UnifiedDiff.make(from: Array(original.utf8), to: Array(edited.utf8), path: "f.txt")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("a"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("b"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try original.write(to: directory.appendingPathComponent("a/f.txt"), atomically: true, encoding: .utf8)
        try edited.write(to: directory.appendingPathComponent("b/f.txt"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        process.arguments = ["-u", "--label", "a/f.txt", "--label", "b/f.txt", "a/f.txt", "b/f.txt"]
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let theirs = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(ours == theirs)
    }

    @Test func identicalInputsGiveNoDiff() {
        #expect(UnifiedDiff.make(from: Array("a\n".utf8), to: Array("a\n".utf8), path: "x").isEmpty)
    }

    @Test func missingFinalNewlineIsMarked() {
        let diff = UnifiedDiff.make(from: Array("a: 1".utf8), to: Array("a: 2".utf8), path: "x")
        #expect(diff.contains("-a: 1\n\\ No newline at end of file\n+a: 2\n\\ No newline at end of file\n"))
    }
}
