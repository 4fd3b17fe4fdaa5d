import Foundation
import Git
import Signatures
import Steps
import Testing

/// Real history: commits GitHub signed with its former web-flow key (4AEE18F83AFDEB23)
/// before the key expired on 2024-01-16, taken verbatim from apple/swift-argument-parser.
@Suite struct WebFlowTests {
    static let commits = try! FileManager.default.contentsOfDirectory(atPath: PackagePaths.fixtures + "/web-flow")
        .filter { $0.hasSuffix(".commit") }.sorted()
    static var webFlowKey: String { PackagePaths.keys + "/github-web-flow-4AEE18F83AFDEB23.asc" }

    /// A throwaway repository holding the fixture commit objects (their trees are absent; verification does not need them).
    static func repository(adding contents: [String: Data]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-webflow-\(UUID().uuidString)").path
        let shell = Shell(directory: "/")
        try shell.must(["git", "init", "-q", path])
        for (_, data) in contents {
            try Shell(directory: path).must(["git", "hash-object", "-t", "commit", "-w", "--stdin"], input: data)
        }
        return path
    }

    /// An audit of old history signed with a rotated key: judged at the signatures' own time
    /// (`--key-validity signature-time`). (The published key file carries no expiry of its
    /// own, so judging it now gives the same verdicts.)
    static func verify(_ repository: String, _ revision: String, mergeKeysOnly: Bool = false,
                       keyValidity: KeyValidity = .signatureTime) throws -> Verdict {
        let keys = mergeKeysOnly ? [] : [webFlowKey]
        let options = VerifyOptions(repository: repository, revision: revision, mode: .head, keyPaths: keys,
                                    mergeKeyPaths: mergeKeysOnly ? [webFlowKey] : [], keyValidity: keyValidity, requireCommitterMatch: true)
        return try #require(try VerifyStep(options: options).run().entries.first).verdict
    }

    @Test("GitHub web-flow commits signed before the key expired are good", arguments: commits)
    func webFlowCommitIsGood(_ file: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: PackagePaths.fixtures + "/web-flow/" + file))
        let repository = try Self.repository(adding: [file: data])
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let verdict = try Self.verify(repository, String(file.dropLast(".commit".count)))
        #expect(verdict.status == .good, "\(verdict)")
        #expect(verdict.signer == "5DE3E0509C47EA3CF04A42D34AEE18F83AFDEB23")
        #expect((verdict.signedAt ?? .max) < 1_705_363_200, "signed before 2024-01-16")
    }

    @Test("a web-flow commit with its message changed is bad", arguments: commits)
    func tamperedWebFlowCommitIsBad(_ file: String) throws {
        let text = try String(contentsOfFile: PackagePaths.fixtures + "/web-flow/" + file, encoding: .utf8)
        let tampered = text.replacingOccurrences(of: "\n\n", with: "\n\nSneaky ", options: [], range: text.range(of: "-----END PGP SIGNATURE-----")!.upperBound..<text.endIndex)
        #expect(tampered != text)
        let repository = try Self.repository(adding: [file: Data(tampered.utf8)])
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let sha = try Shell(directory: repository).must(["git", "hash-object", "-t", "commit", "--stdin"], input: Data(tampered.utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Self.verify(repository, sha).status == .bad)
    }

    @Test("the web-flow key as a merge-only key accepts merges and refuses squash commits")
    func mergeOnlyKey() throws {
        var contents: [String: Data] = [:]
        for file in Self.commits {
            contents[file] = try Data(contentsOf: URL(fileURLWithPath: PackagePaths.fixtures + "/web-flow/" + file))
        }
        let repository = try Self.repository(adding: contents)
        defer { try? FileManager.default.removeItem(atPath: repository) }
        // 60db8cc… is a "Merge pull request" commit (two parents); 6c7ec36… is a squash (one parent).
        #expect(try Self.verify(repository, "60db8cc34401d26f96015c3276f62bb2d79d944f", mergeKeysOnly: true).status == .good)
        #expect(try Self.verify(repository, "6c7ec363da47357aaf1f2f423d30117ff077f696", mergeKeysOnly: true).status == .bad)
    }
}
