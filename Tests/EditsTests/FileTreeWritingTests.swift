import Foundation
@testable import Edits
import Testing
import YAML

/// Writes never leave the tree and never follow a link; a file over the size limit is
/// refused before it is read (issue 13, findings 2 and 7).
@Suite struct FileTreeWritingTests {
    private func directory(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-filetree-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }

    private func link(_ root: URL, _ path: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent(path).path, withDestinationPath: destination)
    }

    private func valueEdit(_ file: String) throws -> EditPlan {
        EditPlan(edits: [.value(try ValueUpdate.parse(file: file, assignment: "tag=2.0"))])
    }

    /// The old writer opened `<file>.capstan-<pid>` following links: a link planted at that
    /// name received the edited bytes, and the rename put the link in the file's place.
    @Test func aLinkPlantedWhereTheTemporaryFileUsedToGoIsNotFollowed() throws {
        let root = try directory(["tree/values.yaml": "tag: 1.0\n", "outside/target": "untouched\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        try link(root, "tree/values.yaml.capstan-\(getpid())", to: root.appendingPathComponent("outside/target").path)
        let tree = try FileTree(root: root.appendingPathComponent("tree").path)
        try tree.write("values.yaml", Array("tag: 2.0\n".utf8))
        #expect(try String(contentsOf: root.appendingPathComponent("outside/target"), encoding: .utf8) == "untouched\n")
        let values = root.appendingPathComponent("tree/values.yaml").path
        var info = stat()
        #expect(lstat(values, &info) == 0 && info.st_mode & S_IFMT == S_IFREG, "the file must stay a regular file, not become the link")
        #expect(try String(contentsOfFile: values, encoding: .utf8) == "tag: 2.0\n")
    }

    @Test func aLinkAsTheEditedFileIsRefusedByNameAndNothingIsWritten() throws {
        let root = try directory(["real.yaml": "tag: 1.0\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        try link(root, "link.yaml", to: "real.yaml")
        let editor = TreeEditor(tree: try FileTree(root: root.path))
        #expect {
            try editor.plan(try valueEdit("link.yaml"))
        } throws: { error in
            "\(error)".contains("link.yaml: is a symlink") && "\(error)".contains("nothing was written")
        }
        #expect(try String(contentsOf: root.appendingPathComponent("real.yaml"), encoding: .utf8) == "tag: 1.0\n")
        #expect(throws: EditError.self) { try editor.tree.checkWritable("link.yaml") }
    }

    @Test func aFileUnderALinkedDirectoryIsRefusedByTheLinksName() throws {
        let root = try directory(["common/values.yaml": "tag: 1.0\nimage: ghcr.io/acme/app:1.0\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("envs"), withIntermediateDirectories: true)
        try link(root, "envs/prod", to: "../common")
        let editor = TreeEditor(tree: try FileTree(root: root.path))
        #expect {
            try editor.plan(try valueEdit("envs/prod/values.yaml"))
        } throws: { error in
            "\(error)".contains("envs/prod/values.yaml: lies under envs/prod, a symlink")
        }
        let image = EditPlan(edits: [.image(try ImageUpdate.parse("ghcr.io/acme/app:2.0"))], paths: ["envs/prod"])
        #expect(throws: EditError.self) { try editor.plan(image) }
        #expect(try String(contentsOf: root.appendingPathComponent("common/values.yaml"), encoding: .utf8).contains("tag: 1.0"))
    }

    @Test func writingLeavesNoTemporaryFileAndKeepsTheMode() throws {
        let root = try directory(["values.yaml": "tag: 1.0\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        chmod(root.appendingPathComponent("values.yaml").path, 0o640)
        let tree = try FileTree(root: root.path)
        try tree.write("values.yaml", Array("tag: 2.0\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["values.yaml"])
        let mode = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("values.yaml").path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    /// A sparse file far over the limit: refused from its size, so reading it costs nothing.
    @Test func aFileOverTheLimitIsRefusedBeforeItIsRead() throws {
        let root = try directory([:])
        defer { try? FileManager.default.removeItem(at: root) }
        let big = root.appendingPathComponent("big.yaml").path
        let descriptor = open(big, O_WRONLY | O_CREAT, 0o644)
        #expect(ftruncate(descriptor, 512 << 20) == 0)
        close(descriptor)
        var before = rusage()
        getrusage(RUSAGE_SELF.rawValue, &before)
        let tree = try FileTree(root: root.path)
        #expect {
            _ = try tree.read("big.yaml")
        } throws: { error in
            "\(error)".contains("big.yaml") && "\(error)".contains("\(YAMLLimits.default.maxBytes)")
        }
        var after = rusage()
        getrusage(RUSAGE_SELF.rawValue, &after)
        // ru_maxrss is in KiB: reading the file whole would have added about 512 MiB.
        #expect(after.ru_maxrss - before.ru_maxrss < 64 << 10, "peak memory grew by \(after.ru_maxrss - before.ru_maxrss) KiB")
    }
}
