import Testing
import YAML

private func edit(_ text: String, path: [PathStep], to value: String, as intent: ValueIntent = .string, file name: String = "t.yaml") throws -> String {
    let file = try YAMLFile.parse(text, path: name)
    let node = try #require(file.node(document: 0, path: path))
    let splice = try node.replacing(with: value, as: intent)
    return String(decoding: try file.applying([splice]), as: UTF8.self)
}

@Suite struct ScalarEditTests {
    @Test(arguments: ["1.10", "1e3", "0755", "true", "null", "", "~", "yes", "2024-01-01", "1:20", "- x", "a: b", "#x"])
    func plainScalarsAreQuotedWhenTheTextWouldNotReadAsAString(value: String) throws {
        let out = try edit("tag: v1 # keep\n", path: [.key("tag")], to: value)
        let reread = try YAMLFile.parse(out).documents[0].root["tag"]
        #expect(reread?.string == value)
        #expect(reread?.scalarType == .string)
        #expect(out.hasSuffix(" # keep\n"))
    }

    @Test func plainStaysPlainWhenItCan() throws {
        #expect(try edit("image: nginx:1.25 # c\n", path: [.key("image")], to: "nginx:1.27") == "image: nginx:1.27 # c\n")
    }

    @Test func quotedScalarsKeepTheirQuotes() throws {
        #expect(try edit("a: '1.0'\nb: \"x\"\n", path: [.key("a")], to: "it's") == "a: 'it''s'\nb: \"x\"\n")
        #expect(try edit("a: '1.0'\nb: \"x\"\n", path: [.key("b")], to: "say \"hi\"\\") == "a: '1.0'\nb: \"say \\\"hi\\\"\\\\\"\n")
        #expect(try edit("a: '1.0'\n", path: [.key("a")], to: "two\nlines") == "a: \"two\\nlines\"\n")
    }

    @Test func typedIntentsWritePlainAndCheckTheText() throws {
        #expect(try edit("replicas: \"1\"\n", path: [.key("replicas")], to: "3", as: .int) == "replicas: 3\n")
        #expect(try edit("on: false\n", path: [.key("on")], to: "true", as: .bool) == "on: true\n")
        #expect(throws: YAMLError.self) { try edit("replicas: 1\n", path: [.key("replicas")], to: "three", as: .int) }
    }

    @Test func keepTypeKeepsIntegersIntegersAndOtherwiseQuotes() throws {
        #expect(try edit("replicas: 1\n", path: [.key("replicas")], to: "4", as: .keepType) == "replicas: 4\n")
        #expect(try edit("replicas: 1\n", path: [.key("replicas")], to: "four", as: .keepType) == "replicas: four\n")
        #expect(try edit("tag: abc\n", path: [.key("tag")], to: "110", as: .keepType) == "tag: \"110\"\n")
    }

    @Test func flowContextQuotesCommasAndJSONAlwaysDoubleQuotes() throws {
        #expect(try edit("a: [x, y]\n", path: [.key("a"), .index(1)], to: "p,q") == "a: [x, \"p,q\"]\n")
        let json = "{\n  \"image\": {\"tag\": \"1.4.2\"},\n  \"replicas\": 2\n}\n"
        #expect(try edit(json, path: [.key("image"), .key("tag")], to: "1.5.0", file: "c.json")
            == "{\n  \"image\": {\"tag\": \"1.5.0\"},\n  \"replicas\": 2\n}\n")
        #expect(try edit(json, path: [.key("replicas")], to: "3", as: .keepType, file: "c.json")
            == "{\n  \"image\": {\"tag\": \"1.4.2\"},\n  \"replicas\": 3\n}\n")
    }

    @Test func anchoredScalarKeepsItsAnchor() throws {
        let text = "a: &tag 1.0.0\nb: *tag\n"
        #expect(try edit(text, path: [.key("a")], to: "1.10") == "a: &tag \"1.10\"\nb: *tag\n")
    }

    @Test func crlfAndNonASCIIAroundTheEditSurvive() throws {
        let text = "\u{FEFF}# café\r\nname: ünïcode\r\ntag: 1.0\r\n"
        let out = try edit(text, path: [.key("tag")], to: "2.0")
        #expect(out == "\u{FEFF}# café\r\nname: ünïcode\r\ntag: \"2.0\"\r\n")
    }

    @Test func literalBlockScalarsStayLiteral() throws {
        let text = "cfg: | # keep me\n  a=1\n  b=2\n\nnext: 1\n"
        let out = try edit(text, path: [.key("cfg")], to: "a=3\nb=4\n")
        #expect(out == "cfg: | # keep me\n  a=3\n  b=4\n\nnext: 1\n")
        let stripped = try edit(text, path: [.key("cfg")], to: "only")
        #expect(stripped == "cfg: |- # keep me\n  only\n\nnext: 1\n")
    }

    @Test func multiLinePlainScalarIsReplacedWhole() throws {
        let text = "msg: this is\n  folded plain\nnext: x\n"
        #expect(try edit(text, path: [.key("msg")], to: "short") == "msg: short\nnext: x\n")
    }
}
