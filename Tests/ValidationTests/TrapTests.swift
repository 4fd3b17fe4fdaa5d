import Testing
@testable import Validation

/// Input must never reach a trap (security.md rule 8): schemas from CRDs in the tree and
/// values in manifests are hostile, so counts and digit runs of any size are findings or
/// nothing, never a crash of the test process.
@Suite("No traps from hostile schemas and values")
struct TrapTests {
    @Test("a CRD with counts of 1e300, -1e300, .inf and .nan compiles; long digit runs are not addresses or times")
    func hostileCRD() throws {
        let report = try Fixtures.validate("hostile-crd")
        // The CRD itself is refused where it holds .inf and .nan (not JSON numbers), and still used.
        #expect(report.positions == ["hostile-crd/crd.yaml:22:49 schema", "hostile-crd/crd.yaml:22:66 schema", "hostile-crd/gadget.yaml:6:9 schema", "hostile-crd/gadget.yaml:7:12 schema",
                                     "hostile-crd/gadget.yaml:8:13 schema", "hostile-crd/gadget.yaml:9:9 schema"], "\(report.findings.map(\.text))")
    }

    @Test("format checks over long and odd digit runs", arguments: [
        (StringFormat.ipv4, "1.2.3.99999999999999999999999999"), (.ipv4, "99999999999999999999.1.1.1"),
        (.ipv6, "::ffff:1.2.3.99999999999999999999"), (.date, "9999999999"), (.dateTime, "2024-05-01T12:30:00+99999:00"),
        (.duration, "P99999999999999999999999D"), (.duration, "99999999999999999999999999h"),
    ])
    func formats(format: StringFormat, text: String) {
        _ = format.problem(text)
    }

    @Test("count keywords: non-finite values drop the keyword, huge ones are clamped")
    func counts() {
        #expect(SchemaCompiler.count(.infinity) == nil)
        #expect(SchemaCompiler.count(.nan) == nil)
        #expect(SchemaCompiler.count(1e300) == 1_000_000_000_000_000)
        #expect(SchemaCompiler.count(-1e300) == -1_000_000_000_000_000)
        #expect(SchemaCompiler.count(3.7) == 3)
    }

    @Test("a .gitignore line with many stars against a long name ends at once (it took exponential time)",
          .timeLimit(.minutes(1)))
    func manyStars() {
        let pattern = Glob(String(repeating: "*a", count: 16) + "*b")
        let name = String(repeating: "a", count: 60)
        #expect(!pattern.matches(name))
        #expect(pattern.matches(name + "b"))
        #expect(Glob("**/" + String(repeating: "*a", count: 12) + "/x").matches("d/" + String(repeating: "a", count: 30) + "/x"))
        #expect(!Glob("**/" + String(repeating: "*a", count: 12) + "/x").matches(String(repeating: "a/", count: 30) + "y"))
    }
}
