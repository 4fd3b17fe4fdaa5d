import Foundation
import Testing

/// A PR's words come from whoever answers for the forge (and whoever can open a PR): a
/// title, URL, branch or SHA holding ESC, CR, a newline forging an "ok" line, BEL, a bidi
/// override, NUL or a megabyte must reach neither the terminal, the CI log, the JSON a
/// pipeline reads with `jq -r`, nor `$GITHUB_OUTPUT` / `CAPSTAN_DOTENV` as sent (issue 14).
@Suite struct HostileForgeWordsTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"

    static let hostileTitle = "release\u{1B}[2K\r\u{1B}[32mok\u{1B}[0m: all checks green\nok\u{07}\u{202E}txt.exe\u{0}"
        + String(repeating: " very long", count: 100_000)
    static let hostileURL = "http://127.0.0.1/acme/release/pulls/1\nmerge-sha=0000000000000000000000000000000000000000\u{1B}]8;;http://evil/\u{07}"
    static let hostileHead = "capstan/x\u{202E}gnp.exe\r\nok"
    static let hostileSHA = "1234567\u{1B}[2K\u{07}89abcdef0123456789abcdef01234567"

    /// Characters that must never be printed from a forge's words: controls (ESC, CR, LF,
    /// BEL, NUL, C1) and bidi overrides and isolates.
    static func hidden(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter {
            $0.properties.generalCategory == .control || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
        }
    }

    static func json(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: text, options: .fragmentsAllowed), as: UTF8.self)
    }

    /// `pr find 1` against a forge whose answer for PR 1 is hostile in every word Capstan prints.
    @Test func aHostilePullRequestIsPrintedAsPrintableLinesEverywhere() throws {
        let root = try TestSupport.temporaryDirectory("hostile-words")
        defer { try? FileManager.default.removeItem(at: root) }
        let forge = try TestForge(kind: "github", root: root, token: Self.token)
        try forge.repository(Self.project, files: ["values.yaml": "replicas: 1\n"])
        try forge.inject(#"""
        {"match": "GET /repos/acme/release/pulls/1", "status": 200, "count": 10, "body": {
          "id": 100, "number": 1, "state": "open", "title": \#(Self.json(Self.hostileTitle)), "body": "",
          "html_url": \#(Self.json(Self.hostileURL)), "url": "http://127.0.0.1/api/v3/repos/acme/release/pulls/1",
          "head": {"ref": \#(Self.json(Self.hostileHead)), "sha": \#(Self.json(Self.hostileSHA)), "label": "acme:x"},
          "base": {"ref": "main\u001b[2J", "sha": "89abcdef0123456789abcdef0123456789abcdef", "label": "acme:main"},
          "mergeable": true, "merged": false, "merged_at": null, "merge_commit_sha": null, "draft": false, "labels": [],
          "user": {"login": "x", "id": 1}}}
        """#)
        let githubOutput = root.appendingPathComponent("github-output").path
        let dotenv = root.appendingPathComponent("capstan.env").path
        let flags = ["--token-env", "FORGE_TOKEN", "--forge", "github", "--forge-url", forge.apiRoot, "--project", Self.project, "--timeout", "10"]
        let environment = ["FORGE_TOKEN": Self.token, "GITHUB_OUTPUT": githubOutput, "CAPSTAN_DOTENV": dotenv]

        let text = try TestSupport.capstan(["pr", "find", "1"] + flags, environment: environment)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(Self.hidden(text.stdout) == ["\n"], "\(text.stdout.prefix(300).debugDescription)")
        #expect(text.stdout.hasPrefix("http://127.0.0.1/acme/release/pulls/1 merge-sha="), "\(text.stdout.prefix(300).debugDescription)")
        #expect(Self.hidden(text.stderr).allSatisfy { $0 == "\n" }, "\(text.stderr.prefix(600).debugDescription)")
        #expect(text.stderr.split(separator: "\n").count == 1, "a line was forged on stderr: \(text.stderr.prefix(600).debugDescription)")

        let json = try TestSupport.capstan(["pr", "find", "1", "--output", "json"] + flags, environment: environment)
        #expect(json.status == 0, "\(json.stderr)")
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout.prefix(300))")
        for field in ["title", "url", "head", "base", "headSHA"] {
            let value = try #require(outcome[field] as? String, "\(field) missing")
            #expect(Self.hidden(value).isEmpty, "\(field): \(value.prefix(300).debugDescription)")
            #expect(value.count <= 1000, "\(field) is \(value.count) characters")
        }
        // Each control a space, each line joined to the last, cut at the end of a line (the
        // third, a megabyte, does not fit), as the forge's error words are.
        #expect(outcome["title"] as? String == "release [2K [32mok [0m: all checks green …",
                "\((outcome["title"] as? String)?.prefix(120).debugDescription ?? "")")

        // Outputs: one `name=value` line each, no line a value forged.
        let outputs = try String(contentsOfFile: githubOutput, encoding: .utf8)
        let lines = outputs.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.allSatisfy { $0.contains("=") && !$0.contains("<<") }, "\(outputs.debugDescription)")
        #expect(!lines.contains { $0.hasPrefix("merge-sha=") }, "a forged output: \(outputs.debugDescription)")
        #expect(Self.hidden(outputs).allSatisfy { $0 == "\n" }, "\(outputs.debugDescription)")
        let env = try String(contentsOfFile: dotenv, encoding: .utf8)
        #expect(env.contains("CAPSTAN_PR_URL=http://127.0.0.1/acme/release/pulls/1 merge-sha="), "\(env.debugDescription)")
        #expect(!env.split(separator: "\n").contains { $0.hasPrefix("merge-sha=") || $0.hasPrefix("CAPSTAN_MERGE_SHA=") }, "\(env)")
    }
}
