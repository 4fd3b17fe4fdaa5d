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
}
