import Testing
import YAML

private func insert(_ text: String, under path: [PathStep], keys: [String], value: String, file name: String = "t.yaml") throws -> String {
    let file = try YAMLFile.parse(text, path: name)
    let node = try #require(file.node(document: 0, path: path))
    let rendered = file.isJSON || node.isInFlowContext || node.isFlowCollection ? ScalarText.doubleQuoted(value) : Array(value.utf8)
    let splice = try node.insertingEntry(keys: keys, renderedValue: rendered, expected: (value, .string))
    return String(decoding: try file.applying([splice]), as: UTF8.self)
}

@Suite struct EntryInsertionTests {
    @Test func newKeyFollowsTheLastEntryWithItsIndentation() throws {
        let text = "image:\n    repository: app # repo\n    pullPolicy: IfNotPresent\n# trailing comment\nother: 1\n"
        let out = try insert(text, under: [.key("image")], keys: ["tag"], value: "abc")
        #expect(out == "image:\n    repository: app # repo\n    pullPolicy: IfNotPresent\n    tag: abc\n# trailing comment\nother: 1\n")
    }

    @Test func nestedKeysUseTheFilesIndentStep() throws {
        let text = "a:\n    b: 1\n"
        let out = try insert(text, under: [], keys: ["image", "tag"], value: "x")
        #expect(out == "a:\n    b: 1\nimage:\n    tag: x\n")
    }

    @Test func insideASequenceItem() throws {
        let text = "items:\n  - name: a\n    value: b\n  - name: c\n"
        let out = try insert(text, under: [.key("items"), .index(0)], keys: ["extra"], value: "why")
        #expect(out == "items:\n  - name: a\n    value: b\n    extra: why\n  - name: c\n")
    }

    @Test func prettyJSONGetsACommaAndTheSameIndent() throws {
        let text = "{\n  \"env\": \"dev\",\n  \"image\": {\n    \"repository\": \"x\"\n  }\n}\n"
        let out = try insert(text, under: [.key("image")], keys: ["tag"], value: "1.0", file: "c.json")
        #expect(out == "{\n  \"env\": \"dev\",\n  \"image\": {\n    \"repository\": \"x\",\n    \"tag\": \"1.0\"\n  }\n}\n")
    }

    @Test func emptyFlowMappingAndNullValue() throws {
        #expect(try insert("a: {}\n", under: [.key("a")], keys: ["b"], value: "c") == "a: {b: \"c\"}\n")
        #expect(try insert("a:\nz: 1\n", under: [.key("a")], keys: ["b"], value: "c") == "a:\n  b: c\nz: 1\n")
    }

    @Test func fileWithoutFinalNewline() throws {
        #expect(try insert("a: 1", under: [], keys: ["b"], value: "2x") == "a: 1\nb: 2x\n")
    }

    @Test func removingAnEntryTakesItsWholeLine() throws {
        let text = "images:\n- name: app\n  newTag: 1.0\n  digest: sha256:abc # pinned\n- name: other\n"
        let file = try YAMLFile.parse(text)
        let entry = try #require(file.node(document: 0, path: [.key("images"), .index(0)]))
        let splice = try #require(entry.removingEntry("digest"))
        #expect(String(decoding: try file.applying([splice]), as: UTF8.self) == "images:\n- name: app\n  newTag: 1.0\n- name: other\n")
        #expect(entry.removingEntry("name") == nil)
    }
}
