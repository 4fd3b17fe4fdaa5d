import Foundation
@testable import Forges
import Words
import Testing

/// The forge's words in an error, as a hostile server may send them: a plain-text body is
/// cut to one line of 300 characters, and neither the cut nor the terminal may give away
/// a token it echoes, nor carry the server's control sequences to the terminal.
@Suite struct ForgeWordsTests {
    private let token = "glpat-Q2FwsTanT0kenN0tReal1234567890"

    private func words(_ body: String) async -> String {
        let client = HTTPClient(baseURL: URL(string: "https://forge.invalid/api")!, authorization: ["Authorization": "Bearer \(token)"])
        return await client.message(in: HTTPAnswer(status: 401, headers: [:], body: Data(body.utf8), method: "GET", path: "/user"))
    }

    /// A token that straddles the 300th character was cut before it was masked: its first
    /// part was printed, too short to match the mask.
    @Test func aTokenAcrossTheCutIsMaskedNotHalfPrinted() async {
        let shown = await words(String(repeating: "x", count: 280) + token)
        #expect(!shown.contains(token.prefix(10)), "\(shown)")
    }

    /// The mask matched whole characters: a token echoed with a combining mark after its last
    /// letter ends inside a grapheme, was not matched, and was printed whole. It is matched
    /// code point by code point.
    @Test func aTokenEndingInsideAGraphemeIsMasked() async {
        let shown = await words("denied " + token + "\u{301} for this request")
        #expect(!shown.contains(token.prefix(10)), "\(shown)")
    }

    /// Blank lines cost nothing shown but count towards the bytes read: a token where the
    /// read stopped was shown cut short, unmasked.
    @Test func aTokenAfterManyBlankLinesIsMaskedNotHalfPrinted() async {
        let shown = await words(String(repeating: "\n", count: 300 * 16 - 10) + token)
        #expect(!shown.contains(token.prefix(8)), "\(shown)")
    }

    /// ESC, BEL and backspace from a plain-text answer would rewrite the terminal (clear it,
    /// set its title or clipboard, hide the words before them); bidi overrides reorder what it shows.
    @Test func controlSequencesInAPlainTextAnswerDoNotReachTheTerminal() async {
        let shown = await words("denied\u{1B}]52;c;ZXZpbA==\u{07} \u{1B}[2J\u{08}\u{08}\u{202E}ok\u{7F}\u{9B}")
        #expect(!shown.unicodeScalars.contains { $0.properties.generalCategory == .control || (0x202A...0x202E).contains($0.value) },
                "\(shown.debugDescription)")
        #expect(shown.hasPrefix("denied"), "\(shown.debugDescription)")
    }

    /// The same in a JSON answer's message, which is printed whole.
    @Test func controlSequencesInAJSONMessageDoNotReachTheTerminal() async {
        let shown = await words(#"{"message": "denied\u001b[2J\r\nrun ::add-mask:: now\u2066"}"#)
        #expect(!shown.unicodeScalars.contains { $0.properties.generalCategory == .control || (0x2066...0x2069).contains($0.value) },
                "\(shown.debugDescription)")
        #expect(shown.contains("denied"), "\(shown.debugDescription)")
    }

    /// A JSON error's message was printed whole: a hostile server could put megabytes on one
    /// line of the log. It is cut like a plain-text answer, masked before the cut.
    @Test func aLongJSONMessageIsCutLikePlainText() async {
        let long = String(repeating: "denied ", count: 200_000)
        let shown = await words(#"{"message": "\#(long)"}"#)
        #expect(shown.count <= 302, "\(shown.count) characters")
        #expect(shown.hasPrefix("denied denied") && shown.hasSuffix(" …"), "\(shown.suffix(20).debugDescription)")
    }

    /// The cut of a JSON message comes after the mask: a token straddling it is not half printed.
    @Test func aTokenAcrossTheCutOfAJSONMessageIsMasked() async {
        let shown = await words(#"{"message": "\#(String(repeating: "x", count: 280) + token)", "errors": [{"message": "\#(token)"}]}"#)
        #expect(!shown.contains(token.prefix(8)), "\(shown)")
        #expect(shown.count <= 302, "\(shown.count) characters")
    }

    /// Words made one line are made so again unchanged (a verdict re-makes every message each
    /// time one is added), and a cut one stays within its limit, "…" included.
    @Test(arguments: ["ok", "a\u{1B}[2K\rb\nok\u{07}\u{202E}c\u{0}", String(repeating: "word ", count: 5000),
                      String(repeating: "x", count: 5000), String(repeating: "line\n", count: 400), "  \n \u{1B} \n"])
    func aLineIsALineAgainAndWithinItsLimit(text: String) {
        let once = ForeignWords.line(text, limit: 100)
        #expect(ForeignWords.line(once, limit: 100) == once, "\(once.debugDescription)")
        #expect(once.count <= 100, "\(once.count)")
        #expect(!once.unicodeScalars.contains { $0.properties.generalCategory == .control || $0.value == 0x202E }, "\(once.debugDescription)")
    }

    /// A character is a grapheme, and one grapheme may hold any number of code points (a
    /// letter and a million combining accents): cut by characters alone, a hostile answer of
    /// one "character" was printed whole, megabytes on one line. What is read is bounded in
    /// code points, so what is shown is too, and it is said to be cut.
    @Test func oneCharacterOfAMillionCodePointsIsNotPrintedWhole() async {
        let zalgo = "a" + String(repeating: "\u{301}", count: 1_000_000)
        // Booleans and counts only: a failure must not print the million code points it is about.
        let once = ForeignWords.line(zalgo, limit: 300)
        let onceCodePoints = once.unicodeScalars.count, markedCut = once.hasSuffix(" …")
        let sameAgain = ForeignWords.line(once, limit: 300) == once
        #expect(onceCodePoints <= 300 * 16 + 2)
        #expect(markedCut)
        #expect(sameAgain)
        let shown = await words(#"{"message": "denied \#(zalgo)"}"#)
        let shownCodePoints = shown.unicodeScalars.count
        #expect(shownCodePoints <= 300 * 16 + 2)
    }

    /// What was read past is said to be cut, even when what was read fits.
    @Test func textPastWhatIsReadIsMarkedCut() {
        #expect(ForeignWords.line(String(repeating: "\n", count: 2000) + "tail", limit: 100) == "…")
    }
}
