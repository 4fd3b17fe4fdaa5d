import Edits
import Testing

@Suite struct ValuePathTests {
    @Test func dottedPathsWithIndicesSelectorsAndQuotedKeys() throws {
        let path = try ValuePath(#"spec.template.spec.containers[name=app].env[0].value"#)
        #expect(path.steps == [.key("spec"), .key("template"), .key("spec"), .key("containers"),
                               .match(field: "name", value: "app"), .key("env"), .index(0), .key("value")])
        #expect(try ValuePath(#"metadata.annotations["example.com/owner"]"#).steps
            == [.key("metadata"), .key("annotations"), .key("example.com/owner")])
        #expect(try ValuePath(#"a\.b.c"#).steps == [.key("a.b"), .key("c")])
    }

    @Test(arguments: ["", "a..b", "a[", "a[x]", "a\\"])
    func malformedPathsAreRejected(text: String) {
        #expect(throws: EditError.self) { try ValuePath(text) }
    }

    @Test func assignmentSplitsAtTheFirstEqualsOutsideBrackets() throws {
        let update = try ValueUpdate.parse(file: "f.yaml", assignment: "containers[name=app].image=nginx:1.27=x")
        #expect(update.path.text == "containers[name=app].image")
        #expect(update.value == "nginx:1.27=x")
        #expect(throws: EditError.self) { try ValueUpdate.parse(file: "f.yaml", assignment: "novalue") }
    }
}
