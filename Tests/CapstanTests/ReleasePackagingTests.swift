import Foundation
import Testing

/// The release binary's runtime needs are written down once, in
/// scripts/runtime-libraries.txt: scripts/build-release refuses a binary asking for anything
/// else, and the Dockerfile installs exactly those packages. These tests keep that list true
/// as the code grows, using the binary the suite runs.
@Suite struct ReleasePackagingTests {
    static let list = TestSupport.packageRoot.appendingPathComponent("scripts/runtime-libraries.txt")

    /// soname → Debian package, from the list.
    static func runtimeLibraries() throws -> [String: String] {
        let text = try String(contentsOf: list, encoding: .utf8)
        var libraries: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count == 2 { libraries[String(fields[0])] = String(fields[1]) }
        }
        return libraries
    }

    /// Linked statically into the release binary (scripts/build-release), or the Swift
    /// runtime (`--static-swift-stdlib`); the debug binary the suite runs links them shared.
    static func linkedStaticallyInRelease(_ soname: String) -> Bool {
        let prefixes = ["libgit2.", "libyaml-0.", "libmbed", "libhttp_parser.", "libssh2.", "libpcre2-8.",
                        "libswift", "libFoundation", "lib_FoundationICU", "libdispatch.", "libBlocksRuntime."]
        return prefixes.contains { soname.hasPrefix($0) }
    }

    @Test func everySharedLibraryTheBinaryNeedsIsListed() throws {
        let readelf = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/readelf"), ["-d", TestSupport.capstan.path])
        #expect(readelf.status == 0, "\(readelf.stderr)")
        let needed = readelf.stdout.split(separator: "\n").compactMap { line -> String? in
            guard line.contains("(NEEDED)"), let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]") else { return nil }
            return String(line[line.index(after: open)..<close])
        }
        #expect(needed.contains("libc.so.6"), "readelf found no NEEDED entries: \(readelf.stdout.prefix(300))")
        let listed = try Self.runtimeLibraries()
        for soname in needed where !Self.linkedStaticallyInRelease(soname) {
            #expect(listed[soname] != nil, "the binary needs \(soname): add it and its Debian package to scripts/runtime-libraries.txt")
        }
    }

    /// Each listed package exists in Debian 12 under that name (the Dockerfile installs them).
    @Test func everyListedPackageIsARealDebianPackage() throws {
        let packages = Set(try Self.runtimeLibraries().values)
        #expect(packages.contains("libssl3") && packages.contains("libc6"))
        for package in packages.sorted() {
            let show = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/dpkg-query"), ["-W", "-f=${Status}", package])
            #expect(show.stdout.contains("install ok installed"), "\(package) is not a Debian package installed here: \(show.stderr)")
        }
    }

    @Test func theImageInstallsTheListAndCopiesWhatTheReleaseBuildWrites() throws {
        let dockerfile = try String(contentsOf: TestSupport.packageRoot.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let script = try String(contentsOf: TestSupport.packageRoot.appendingPathComponent("scripts/build-release"), encoding: .utf8)
        #expect(dockerfile.contains("RUN CAPSTAN_BUILD_COMMIT=\"$CAPSTAN_BUILD_COMMIT\" scripts/build-release"))
        #expect(dockerfile.contains("scripts/runtime-libraries.txt"))
        #expect(script.contains("binary=\"$root/dist/capstan-linux-$arch\"") && dockerfile.contains("COPY --from=build /src/dist/capstan-linux-* /usr/local/bin/capstan"))
        #expect(!dockerfile.split(separator: "\n").contains { $0.hasPrefix("ENTRYPOINT") }, "CI systems run scripts in the image; an entrypoint breaks them")
    }
}
