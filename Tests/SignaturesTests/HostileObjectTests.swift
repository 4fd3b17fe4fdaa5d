import Foundation
import Signatures
import Steps
import Testing

/// Hostile commit and tag objects, written with `git hash-object --literally`: Capstan
/// must never call good what `git verify-commit` / `git verify-tag` (GnuPG and ssh-keygen
/// on the same keys) does not (issue 12, finding 5: the payload is exactly what git signs).
/// Capstan refuses every one of them; git 2.39 itself accepts a few (`gitAccepts`), where
/// ssh-keygen or gpg read only part of what the object holds.
@Suite struct HostileObjectTests {
    struct Originals {
        let repo: ScratchRepository
        let commits: [String: String]
        let tags: [String: String]
    }

    /// A scratch repository with SSH- and OpenPGP-signed commits and tags, and their raw text.
    static let originals: Result<Originals, any Error> = Result {
        let lab = try SigningLab.get()
        let repo = try ScratchRepository(lab: lab)
        let shell = Shell(directory: repo.path)
        let openPGP = ["-c", "gpg.format=openpgp", "-c", "gpg.program=gpg", "-c", "user.signingkey=\(lab.fingerprints["ed25519"]!)"]
        var commits: [String: String] = [:]
        var tags: [String: String] = [:]
        commits["unsigned"] = try shell.must(["git", "cat-file", "commit", try repo.commit("plain", signed: false)])
        commits["ssh"] = try shell.must(["git", "cat-file", "commit", try repo.commit("ssh signed")])
        try repo.run(["git", "tag", "-s", "ssh-tag", "-m", "ssh tag"])
        tags["ssh"] = try shell.must(["git", "cat-file", "tag", "ssh-tag"])
        commits["openpgp"] = try shell.must(["git", "cat-file", "commit", try repo.commit("openpgp signed", config: openPGP)])
        try repo.run(["git"] + openPGP + ["tag", "-s", "pgp-tag", "-m", "pgp tag"])
        tags["openpgp"] = try shell.must(["git", "cat-file", "tag", "pgp-tag"])
        return Originals(repo: repo, commits: commits, tags: tags)
    }

    /// The signature header with its continuation lines, and the armor it holds.
    static func signatureHeader(_ raw: String) -> (header: String, armor: String) {
        let lines = raw.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("gpgsig ") }) else { return ("", "") }
        var end = start + 1
        while end < lines.count, lines[end].hasPrefix(" ") { end += 1 }
        let header = lines[start..<end].joined(separator: "\n") + "\n"
        let armor = ([String(lines[start].dropFirst(7))] + lines[(start + 1)..<end].map { String($0.dropFirst()) }).joined(separator: "\n") + "\n"
        return (header, armor)
    }

    /// Hostile commits made from the originals: name → object text.
    static func hostileCommits(_ originals: Originals) -> [(String, String)] {
        var objects: [(String, String)] = []
        let unsigned = originals.commits["unsigned"] ?? ""
        for kind in ["ssh", "openpgp"] {
            let raw = originals.commits[kind] ?? ""
            let (header, armor) = signatureHeader(raw)
            let other = signatureHeader(originals.commits[kind == "ssh" ? "openpgp" : "ssh"] ?? "")
            objects += [
                ("\(kind): NUL and junk appended", raw + "\u{0}junk"),
                ("\(kind): NUL inside the message", raw.replacingOccurrences(of: "\n\n", with: "\n\n\u{0}")),
                ("\(kind): signature pasted into an unsigned commit's message", unsigned + "\n" + armor),
                ("\(kind): signature header pasted as message text", unsigned + header),
                ("\(kind): two signature headers", raw.replacingOccurrences(of: header, with: header + header)),
                ("\(kind): both kinds of signature", raw.replacingOccurrences(of: header, with: header + other.header)),
                ("\(kind): gpgsig-sha256 header in a SHA-1 repository", raw.replacingOccurrences(of: "gpgsig ", with: "gpgsig-sha256 ")),
                ("\(kind): text after the armor end", raw.replacingOccurrences(of: header, with: header + " trailing\n")),
                ("\(kind): truncated armor", raw.replacingOccurrences(of: header, with: header.components(separatedBy: "\n").dropLast(2).joined(separator: "\n") + "\n")),
                ("\(kind): second committer header", raw.replacingOccurrences(of: header, with: header + "committer Mallory <m@example.com> 1800000000 +0000\n")),
                ("\(kind): signature moved before the author", movingSignatureFirst(raw, header: header)),
                ("\(kind): message changed", raw.replacingOccurrences(of: "signed\n", with: "signed!\n")),
                // git needs a space after the header's name; `gpgsig` alone on its line is payload to git.
                ("\(kind): signature header name on a line of its own", raw.replacingOccurrences(of: "gpgsig ", with: "gpgsig\n ")),
            ]
            if kind == "openpgp" {
                // OpenPGP armor needs the blank line after its headers; gpg warns of an invalid header and git says bad.
                objects.append(("openpgp: no blank line after the armor's BEGIN line", raw.replacingOccurrences(of: "-----\n \n", with: "-----\n")))
            }
        }
        return objects
    }

    static func movingSignatureFirst(_ raw: String, header: String) -> String {
        let without = raw.replacingOccurrences(of: header, with: "")
        guard let firstLine = without.range(of: "\n") else { return without }
        return String(without[..<firstLine.upperBound]) + header + String(without[firstLine.upperBound...])
    }

    static func hostileTags(_ originals: Originals) -> [(String, String)] {
        var objects: [(String, String)] = []
        for kind in ["ssh", "openpgp"] {
            let raw = originals.tags[kind] ?? ""
            let other = originals.tags[kind == "ssh" ? "openpgp" : "ssh"] ?? ""
            let otherBlock = other.range(of: "-----BEGIN").map { String(other[$0.lowerBound...]) } ?? ""
            let ownBlock = raw.range(of: "-----BEGIN").map { String(raw[$0.lowerBound...]) } ?? ""
            objects += [
                ("\(kind) tag: NUL and junk appended", raw + "\u{0}junk"),
                ("\(kind) tag: a second block of the other kind appended", raw + otherBlock),
                ("\(kind) tag: its own block appended again", raw + ownBlock),
                ("\(kind) tag: text after the armor end", raw + "trailing\n"),
                ("\(kind) tag: truncated armor", raw.components(separatedBy: "\n").dropLast(2).joined(separator: "\n") + "\n"),
                ("\(kind) tag: message changed", raw.replacingOccurrences(of: " tag\n", with: " tag!\n")),
            ]
        }
        return objects
    }

    /// Objects git 2.39 with GnuPG 2.2 and OpenSSH 9.2 calls good although they hold more
    /// than one signature, or bytes git passes to the signature tool but the tool ignores.
    static let gitAccepts: Set<String> = [
        "ssh: two signature headers", "ssh: both kinds of signature", "ssh: text after the armor end",
        "ssh: signature moved before the author", "openpgp: signature moved before the author",
        "openpgp: both kinds of signature", "openpgp: text after the armor end", "openpgp: truncated armor",
        "ssh tag: NUL and junk appended", "ssh tag: text after the armor end",
        "openpgp tag: NUL and junk appended", "openpgp tag: text after the armor end", "openpgp tag: truncated armor",
    ]

    static func write(_ text: String, type: String, in repo: ScratchRepository) throws -> String {
        try Shell(directory: repo.path).must(["git", "hash-object", "--literally", "-t", type, "-w", "--stdin"], input: Data(text.utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func gitSaysGood(_ sha: String, type: String, in repo: ScratchRepository) throws -> Bool {
        let lab = repo.lab
        return try Shell(directory: repo.path, environment: ["GNUPGHOME": lab.verifyHome])
            .run(["git", "-c", "gpg.program=gpg", "-c", "gpg.ssh.allowedSignersFile=\(lab.allowedSigners)",
                  type == "tag" ? "verify-tag" : "verify-commit", sha]).succeeded
    }

    static func capstanVerdict(_ revision: String, mode: VerifyOptions.Mode, in repo: ScratchRepository) throws -> Verdict? {
        let lab = repo.lab
        let options = VerifyOptions(repository: repo.path, revision: revision, mode: mode, keyPaths: [lab.keys], allowedSigners: [lab.allowedSigners])
        return try VerifyStep(options: options).run().entries.first?.verdict
    }

    @Test func theUnchangedObjectsAreGoodForBoth() throws {
        let originals = try Self.originals.get()
        for (kind, raw) in originals.commits where kind != "unsigned" {
            let sha = try Self.write(raw, type: "commit", in: originals.repo)
            #expect(try Self.gitSaysGood(sha, type: "commit", in: originals.repo))
            #expect(try Self.capstanVerdict(sha, mode: .head, in: originals.repo)?.isGood == true, "\(kind)")
        }
        for (kind, raw) in originals.tags {
            let sha = try Self.write(raw, type: "tag", in: originals.repo)
            try originals.repo.run(["git", "update-ref", "refs/tags/original-\(kind)", sha])
            #expect(try Self.gitSaysGood(sha, type: "tag", in: originals.repo))
            #expect(try Self.capstanVerdict("original-\(kind)", mode: .tag, in: originals.repo)?.isGood == true, "\(kind)")
        }
    }

    @Test("no hostile commit is good for Capstan, nor for git unless listed")
    func hostileCommitsAreNeverGood() throws {
        let originals = try Self.originals.get()
        for (name, text) in Self.hostileCommits(originals) {
            let sha = try Self.write(text, type: "commit", in: originals.repo)
            let git = try Self.gitSaysGood(sha, type: "commit", in: originals.repo)
            // libgit2 refuses to parse some of them at all: an error, which fails the gate too.
            let verdict = try? Self.capstanVerdict(sha, mode: .head, in: originals.repo)
            #expect(git == Self.gitAccepts.contains(name), "git's verdict on \(name): \(git)")
            #expect(verdict?.isGood != true, "\(name): \(verdict.map { "\($0)" } ?? "no verdict")")
        }
    }

    @Test("no hostile tag is good for Capstan, nor for git unless listed")
    func hostileTagsAreNeverGood() throws {
        let originals = try Self.originals.get()
        for (index, (name, text)) in Self.hostileTags(originals).enumerated() {
            let sha = try Self.write(text, type: "tag", in: originals.repo)
            try originals.repo.run(["git", "update-ref", "refs/tags/hostile-\(index)", sha])
            let git = try Self.gitSaysGood(sha, type: "tag", in: originals.repo)
            let verdict = try? Self.capstanVerdict("hostile-\(index)", mode: .tag, in: originals.repo)
            #expect(git == Self.gitAccepts.contains(name), "git's verdict on \(name): \(git)")
            #expect(verdict?.isGood != true, "\(name): \(verdict.map { "\($0)" } ?? "no verdict")")
        }
    }
}
