import Testing
@testable import YAML

@Suite struct ParsingTests {
    @Test func spansAreBytesEvenWithBOMCRLFAndNonASCII() throws {
        let text = "\u{FEFF}a: \"é\"\r\nbé: &x !!str plain  # c\r\nc: *x\r\n"
        let file = try YAMLFile.parse(text)
        let root = file.documents[0].root
        let value = try #require(root["bé"])
        #expect(value.string == "plain")
        #expect(String(decoding: file.bytes[value.valueSpan], as: UTF8.self) == "plain")
        #expect(value.anchor == "x")
        #expect(value.tag == "tag:yaml.org,2002:str")
        #expect(value.location.line == 2)
        let quoted = try #require(root["a"])
        #expect(String(decoding: file.bytes[quoted.valueSpan], as: UTF8.self) == "\"é\"")
        #expect(quoted.scalarStyle == .doubleQuoted)
        #expect(root["c"]?.resolved.string == "plain")
        #expect(file.lineEnding == [0x0D, 0x0A])
    }

    @Test func multiDocumentFlowAndBlockStyles() throws {
        let text = """
        ---
        a: [1, 2, {b: c}]
        lit: |
          line one
          line two
        fold: >-
          folded
          text
        ---
        # second
        x: 'single'
        """
        let file = try YAMLFile.parse(text)
        #expect(file.documents.count == 2)
        let first = file.documents[0].root
        #expect(first["a"]?.isFlowCollection == true)
        #expect(first["a"]?.items.count == 3)
        #expect(first["a"]?.items[2]["b"]?.isInFlowContext == true)
        #expect(first["lit"]?.string == "line one\nline two\n")
        #expect(first["lit"]?.scalarStyle == .literal)
        #expect(first["fold"]?.string == "folded text")
        #expect(file.documents[1].root["x"]?.scalarStyle == .singleQuoted)
    }

    @Test func mergeKeysAreFollowedOnLookup() throws {
        let text = """
        base: &base
          image: nginx:1.25
          port: 80
        app:
          <<: *base
          port: 8080
        """
        let root = try YAMLFile.parse(text).documents[0].root
        let app = try #require(root["app"])
        #expect(app["port"]?.string == "8080")
        #expect(app["image"]?.string == "nginx:1.25")
    }

    @Test func syntaxErrorNamesFileLineAndColumn() {
        let text = "a: 1\nb: [2, 3\nc: 4\n"
        #expect {
            _ = try YAMLFile.parse(text, path: "bad.yaml")
        } throws: { error in
            guard case let YAMLError.syntax(at, problem, _) = error else { return false }
            return at.file == "bad.yaml" && at.line == 3 && !problem.isEmpty
        }
    }

    @Test func unknownAliasIsAnError() {
        #expect(throws: YAMLError.self) { try YAMLFile.parse("a: *nope\n") }
    }

    @Test func commentsAreFoundOutsideScalars() throws {
        let text = """
        # top
        image: "x # not a comment" # real {"$imagepolicy": "flux-system:app"}
        url: http://a#b
        """
        let file = try YAMLFile.parse(text)
        let comments = file.comments
        #expect(comments.map(\.text) == ["top", "real {\"$imagepolicy\": \"flux-system:app\"}"])
        let image = try #require(file.documents[0].root["image"])
        #expect(file.lineComment(after: image, in: comments)?.text.hasPrefix("real") == true)
        #expect(file.lineComment(after: try #require(file.documents[0].root["url"]), in: comments) == nil)
    }

    @Test func plainScalarsResolveLikeYAMLReaders() {
        let cases: [(String, ScalarType)] = [
            ("1.10", .float), ("1e3", .float), ("0755", .int), ("0x1F", .int), ("1_000", .int), ("1:20", .int),
            ("true", .bool), ("yes", .bool), ("off", .bool), ("null", .null), ("~", .null), ("", .null),
            (".inf", .float), ("2024-01-16", .timestamp), ("<<", .merge),
            ("6.7.0", .string), ("v1.2", .string), ("latest", .string), ("1.2.3-rc.1", .string), ("sha256:abc", .string),
            ("123abc", .string), ("-", .string), ("nginx", .string), ("one", .string),
        ]
        for (text, type) in cases {
            #expect(ScalarType.resolvePlain(text) == type, "\(text)")
        }
    }

    @Test func tabsInsideScalarsSurviveAndParse() throws {
        let text = "plain: a\tb\nquoted: \"c\\td\"\nliteral: |\n  e\tf\n"
        let root = try YAMLFile.parse(text).documents[0].root
        #expect(root["plain"]?.string == "a\tb")
        #expect(root["quoted"]?.string == "c\td")
        #expect(root["literal"]?.string == "e\tf\n")
    }
}
