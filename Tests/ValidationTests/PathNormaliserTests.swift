import Testing
@testable import Validation

@Suite("Path normalising")
struct PathNormaliserTests {
    @Test("relative paths from '.' and './' compare equal to plain ones", arguments: [
        ("./clusters/staging", "clusters/staging"),
        ("././clusters//staging/", "clusters/staging"),
        ("./apps/../clusters/staging", "clusters/staging"),
        ("../base", "../base"),
        ("overlay/../../base", "../base"),
        ("/repo/./apps/../clusters", "/repo/clusters"),
        (".", "."),
        ("./", "."),
    ])
    func normalise(input: String, expected: String) {
        #expect(PathNormaliser.normalise(input) == expected)
    }

    @Test("the directory of a bare name is '.'")
    func directory() {
        #expect(PathNormaliser.directory(of: "gotk-sync.yaml") == ".")
        #expect(PathNormaliser.directory(of: "./clusters/staging/apps.yaml") == "clusters/staging")
        #expect(PathNormaliser.directory(of: "/apps.yaml") == "/")
    }

    @Test("parent and last component as written, for the shapes NSString traps on", arguments: [
        ("x", "", "x"), ("x/", "", "x"), ("x//", "", "x"), (".", "", "."), ("é", "", "é"),
        ("x/cm.yaml", "x", "cm.yaml"), ("x/../ab/cm.yaml", "x/../ab", "cm.yaml"), ("a//b/", "a", "b"),
        ("/", "/", "/"), ("/a", "/", "a"), ("//a", "/", "a"), ("", "", ""), ("./x", ".", "x"),
    ])
    func parentAndLast(input: String, parent: String, last: String) {
        #expect(PathNormaliser.parent(of: input) == parent)
        #expect(PathNormaliser.lastComponent(of: input) == last)
    }

    /// Every path of up to four components drawn from `.`, `..`, one- and two-character,
    /// non-ASCII, empty (a doubled slash) and 255-character names, absolute or not, with or
    /// without a trailing slash: the parent is a prefix of the path, and parent plus last
    /// component names the same place.
    @Test("parent and last component over generated path shapes")
    func generatedShapes() {
        let names = [".", "..", "x", "ab", "é", "", String(repeating: "n", count: 255), "\u{FFFD}"]
        var shapes = [""]
        for _ in 0..<4 { shapes += shapes.flatMap { shape in names.map { shape.isEmpty ? $0 : "\(shape)/\($0)" } } }
        for shape in Set(shapes) {
            for path in [shape, "/" + shape, shape + "/"] {
                let parent = PathNormaliser.parent(of: path)
                let last = PathNormaliser.lastComponent(of: path)
                #expect(path.hasPrefix(parent) || parent == "/", "\(path)")
                guard !parent.isEmpty, parent != "/", last != "/" else { continue }
                #expect(PathNormaliser.normalise("\(parent)/\(last)") == PathNormaliser.normalise(path), "\(path)")
                _ = PathNormaliser.directory(of: path)
            }
        }
    }
}
