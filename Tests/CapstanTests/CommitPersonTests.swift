import Foundation
import Git
import Testing

/// `CommitPerson`: the one way Capstan names a commit's author or committer, parsed from
/// `Name <email>` and written into commit bytes by libgit2.
@Suite struct CommitPersonTests {
    @Test func parsesNameAndEmailTrimmingSpacesAroundTheName() throws {
        let person = try CommitPerson(parsing: "  Release Bot  <bot@acme.example>")
        #expect(person == CommitPerson(name: "Release Bot", email: "bot@acme.example"))
        #expect(person.time == nil)
        #expect(person.description == "Release Bot <bot@acme.example>")
    }

    @Test func textWithoutAnEmailIsAnErrorQuotingIt() {
        #expect(throws: CommitPersonError(text: "Release Bot", problem: .noEmail)) { try CommitPerson(parsing: "Release Bot") }
        let error = CommitPersonError(text: "Release Bot", problem: .noEmail)
        #expect(error.description == "\"Release Bot\" must look like \"Name <email>\": no <email>")
    }

    @Test func textWithoutANameIsAnError() {
        #expect(throws: CommitPersonError(text: " <bot@acme.example>", problem: .noName)) { try CommitPerson(parsing: " <bot@acme.example>") }
    }

    @Test func anEmailWithoutAtOrWithASpaceIsAnErrorNamingIt() {
        #expect(throws: CommitPersonError(text: "Bot <bot>", problem: .badEmail("bot"))) { try CommitPerson(parsing: "Bot <bot>") }
        #expect(throws: CommitPersonError(text: "Bot <b ot@x.example>", problem: .badEmail("b ot@x.example"))) {
            try CommitPerson(parsing: "Bot <b ot@x.example>")
        }
    }

    @Test func aDatedPersonIsWrittenAtTheirTimeAndOffset() throws {
        let (repository, root, head) = try Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let author = CommitPerson(name: "Release Bot", email: "bot@acme.example", time: 1_800_000_000, offsetMinutes: 120)
        let committer = try CommitPerson(parsing: "Capstan <capstan@acme.example>").at(1_800_000_060)
        let bytes = try repository.commitPayload(tree: repository.tree(ofCommit: head), parents: [head], author: author,
                                                 committer: committer, message: "m\n")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\nauthor Release Bot <bot@acme.example> 1800000000 +0200\n"))
        #expect(text.contains("\ncommitter Capstan <capstan@acme.example> 1800000060 +0000\n"))
    }

    @Test func anUndatedPersonIsWrittenAtTheMomentOfTheCommit() throws {
        let (repository, root, head) = try Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = Int(Date().timeIntervalSince1970)
        let bytes = try repository.commitPayload(tree: repository.tree(ofCommit: head), parents: [head],
                                                 author: CommitPerson(name: "Bot", email: "bot@acme.example"),
                                                 committer: CommitPerson(name: "Bot", email: "bot@acme.example"), message: "m\n")
        let line = try #require(String(decoding: bytes, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("author ") })
        let seconds = try #require(Int(line.split(separator: " ").dropLast().last ?? ""))
        #expect(seconds >= before && seconds <= Int(Date().timeIntervalSince1970))
    }

    @Test func capstanRejectsABadAuthorBeforeDoingAnything() throws {
        let result = try TestSupport.capstan(["update", "--repo", "/nonexistent/release.git", "--set-image", "ghcr.io/acme/a:1",
                                              "--author", "Release Bot <bot>"])
        #expect(result.status == 2, "a bad --author is a usage error")
        #expect(result.stderr.contains("--author \"Release Bot <bot>\" must look like \"Name <email>\": \"bot\" is not an email address"))
    }

    private static func repository() throws -> (Repository, URL, ObjectID) {
        let root = try TestSupport.temporaryDirectory("commit-person")
        try GitFixtures.git(["init", "-q", "-b", "main", root.path])
        try Data("a\n".utf8).write(to: root.appendingPathComponent("a.txt"))
        try GitFixtures.git(["add", "a.txt"], in: root)
        try GitFixtures.git(["commit", "-q", "-m", "first"], in: root)
        let repository = try Repository.open(root.path)
        return (repository, root, try repository.resolve("HEAD"))
    }
}
