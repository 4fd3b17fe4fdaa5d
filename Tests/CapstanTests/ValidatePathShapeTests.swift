import Foundation
import Testing

/// `capstan validate` takes paths as people type them: relative, with `.` and `..`,
/// doubled or trailing slashes, one-character names, non-ASCII and very long names. None
/// may crash it (swift-corelibs-foundation's `deletingLastPathComponent` traps on `x`), and
/// one file named in several shapes is still one file.
@Suite struct ValidatePathShapeTests {
    /// A tree with one ConfigMap per file, each named after its file so none collide.
    private static func tree() throws -> URL {
        let root = try TestSupport.temporaryDirectory("path-shapes")
        let long = String(repeating: "l", count: 255)
        for (directory, name) in [("x", "x"), ("ab", "ab"), ("é", "e"), (long, "long"), ("s p", "sp"), ("x/y", "why")] {
            let folder = root.appendingPathComponent(directory)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try configMap(name).write(to: folder.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
        try configMap("a").write(to: root.appendingPathComponent("a"), atomically: true, encoding: .utf8)
        return root
    }

    private static func configMap(_ name: String) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\ndata:\n  k: v\n"
    }

    @Test("the shapes from the issue: a one-character first segment, with and without a detour through ..",
          arguments: ["x/x.yaml", "x/../ab/ab.yaml", "x", "x/", "x//", "a", "é/e.yaml", "x/y/why.yaml", "./x", ".", "./", "x/."])
    func oneShape(path: String) throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try TestSupport.capstan(["validate", path], in: root)
        #expect(result.status == 0, "validate \(path): status \(result.status)\n\(result.stderr.prefix(600))")
        #expect(result.stdout.contains("0 errors"), "\(result.stdout)")
    }

    @Test("`..` and a path climbing out of the working directory")
    func parentDirectory() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        for (directory, path) in [("x", ".."), ("x", "../ab/ab.yaml"), ("x/y", "../../x"), ("é", "../é/e.yaml")] {
            let result = try TestSupport.capstan(["validate", path], in: root.appendingPathComponent(directory))
            #expect(result.status == 0, "validate \(path) in \(directory): status \(result.status)\n\(result.stderr.prefix(600))")
        }
    }

    /// Every spelling of every directory and file, generated from detours, doubled slashes
    /// and trailing slashes, in one run: nothing crashes, and a file reached through several
    /// spellings is validated once (no duplicate-resource error against itself).
    @Test("generated spellings of the same paths, all in one run")
    func generatedShapes() throws {
        let root = try Self.tree()
        defer { try? FileManager.default.removeItem(at: root) }
        let long = String(repeating: "l", count: 255)
        let targets = ["x", "ab", "é", long, "s p", "x/y", "x/x.yaml", "ab/ab.yaml", "é/e.yaml", "\(long)/long.yaml", "a"]
        let leads = ["", "./", ".//", "x/../", "ab/./../", "x/y/../../", "é/../"]
        var shapes: [String] = []
        for target in targets {
            for lead in leads {
                let spelt = lead + target
                shapes.append(spelt)
                shapes.append(spelt.replacingOccurrences(of: "/", with: "//"))
                if !target.hasSuffix(".yaml"), target != "a" { shapes += [spelt + "/", spelt + "//", spelt + "/."] }
            }
        }
        let result = try TestSupport.capstan(["validate"] + shapes, in: root)
        #expect(result.status == 0, "status \(result.status)\n\(result.stdout.prefix(1200))\n\(result.stderr.prefix(600))")
        #expect(result.stdout.contains("7 files, 7 resources"), "\(result.stdout.suffix(300))")
    }
}
