import Testing
import YAML

/// Input built to hurt a parser ends in an error or a quick parse, never a hang or crash.
@Suite struct HostileInputTests {
    @Test func aliasBombParsesWithoutExpanding() throws {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...30 {
            let previous = (0..<9).map { _ in "*a\(level - 1)" }.joined(separator: ", ")
            text += "a\(level): &a\(level) [\(previous)]\n"
        }
        let file = try YAMLFile.parse(text)
        let root = file.documents[0].root
        #expect(root.entries.count == 31)
        #expect(root["a30"]?.items.count == 9)
        #expect(root["a30"]?.items[0].kind == .alias)
    }

    @Test func hundredLevelsOfNestingParse() throws {
        let text = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let file = try YAMLFile.parse(text)
        #expect(file.documents[0].root.isSequence)
    }

    @Test func nestingBeyondTheLimitIsAnError() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect {
            _ = try YAMLFile.parse(text, path: "deep.yaml")
        } throws: { error in
            guard case YAMLError.tooDeep = error else { return false }
            return true
        }
    }

    @Test func invalidUTF8IsASyntaxErrorWithPosition() {
        let bytes: [UInt8] = Array("a: 1\nb: ".utf8) + [0xC3, 0x28] + [0x0A]
        #expect {
            _ = try YAMLFile.parse(bytes, path: "utf8.yaml")
        } throws: { error in
            guard case let YAMLError.syntax(at, _, _) = error else { return false }
            return at.file == "utf8.yaml" && at.line == 2
        }
    }

    @Test func utf16IsRefusedByName() {
        #expect(throws: YAMLError.unsupportedEncoding(file: "w.yaml", encoding: "UTF-16")) {
            try YAMLFile.parse([0xFF, 0xFE, 0x61, 0x00], path: "w.yaml")
        }
    }

    @Test func fiftyMegabytesParseOrFailCleanly() throws {
        let entry = Array("- name: container-00000\n  image: registry.example.com/team/app:1.2.3\n".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(50 << 20)
        while bytes.count < 50 << 20 { bytes += entry }
        let file = try YAMLFile.parse(bytes, path: "big.yaml")
        #expect(file.documents[0].root.items.count == bytes.count / entry.count)
    }

    @Test func tooLargeFilesAreRefusedBeforeParsing() {
        let limits = YAMLLimits(maxBytes: 10)
        #expect(throws: YAMLError.tooLarge(file: "x.yaml", bytes: 11, limit: 10)) {
            try YAMLFile.parse(Array("a: 12345678".utf8), path: "x.yaml", limits: limits)
        }
    }
}
