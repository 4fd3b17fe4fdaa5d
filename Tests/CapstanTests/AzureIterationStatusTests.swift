import CapstanTestSupport
import Foundation
import Testing

/// A PR status posted to an iteration judged that iteration's commit. PR 49 as dev.azure.com
/// answered it (azure-devops/sourcegraph-pr-statuses.json), its statuses replaced by one
/// success posted to iteration 1, whose commit is not the head: a push came after it.
@Suite struct AzureIterationStatusTests {
    private let head = "bb76f558e69f76c26c9c7844b9bc473a054ab1dc"

    private static var successOnIterationOne: [String: Any] {
        ["id": 7, "iterationId": 1, "state": "succeeded", "context": ["genre": "ci", "name": "build"]]
    }

    /// The recording with PR 49's statuses and iterations (none: not asked) as given, written to `directory`.
    private func recording(in directory: URL, statuses: [[String: Any]] = [successOnIterationOne], iterations: [String]?) throws -> URL {
        let recorded = TestSupport.fixtures.appendingPathComponent("forges/recorded/azure-devops/sourcegraph-pr-statuses.json")
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: recorded)) as? [String: Any])
        var exchanges = try #require(document["exchanges"] as? [[String: Any]])
        exchanges[2]["response"] = ["count": statuses.count, "value": statuses]
        if let iterations {
            let listed = iterations.enumerated().map { ["id": $0.offset + 1, "sourceRefCommit": ["commitId": $0.element]] }
            exchanges.insert(["method": "GET", "path": "/sgtestazure/_apis/git/repositories/sgtestazure3/pullRequests/49/iterations",
                              "status": 200, "response": ["count": listed.count, "value": listed]], at: 3)
        }
        document["exchanges"] = exchanges
        let file = directory.appendingPathComponent("iteration-statuses.json")
        try JSONSerialization.data(withJSONObject: document).write(to: file)
        return file
    }

    private func status(statuses: [[String: Any]] = [successOnIterationOne], iterations: [String]?, output: String = "json") throws
        -> TestSupport.Result {
        let directory = try TestSupport.temporaryDirectory("azure-iterations")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (results, _) = try RecordedForgeTests.replay(file: try recording(in: directory, statuses: statuses, iterations: iterations),
                                                         prefix: "", [["pr", "status", "--pr", "49", "--output", output]],
                                                         project: "sgtestazure/sgtestazure3", forge: "azure-devops")
        return try #require(results.first)
    }

    @Test func aSuccessOnAnEarlierIterationDoesNotMakeTheHeadGreen() throws {
        let result = try status(iterations: ["1c70d536b4ab3187b5aed41af8f259f1b8ceba6b", head])
        #expect(result.stdout.contains("\"checks\" : \"pending\""), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("succeeded on iteration 1, not on the head"), "\(result.stdout)")
    }

    @Test func aSuccessOnTheHeadsIterationIsGreen() throws {
        let result = try status(iterations: [head])
        #expect(result.stdout.contains("\"checks\" : \"success\""), "\(result.stdout)\(result.stderr)")
    }

    /// Anyone who may post to the PR names its statuses: a CR, ESC or newline in the name
    /// would rewrite the terminal ("failure" overwritten) or add a line to `pr status`.
    @Test func aStatusNameCannotRewriteTheTerminalOrAddALine() throws {
        let forged: [String: Any] = ["id": 8, "state": "failed", "description": "d",
                                     "context": ["genre": "ci", "name": "build\r\u{1B}[2Ksuccess  ci/build (succeeded)\nsuccess  x"]]
        let result = try status(statuses: [forged], iterations: nil, output: "text")
        #expect(result.stdout.split(separator: "\n").count == 1, "\(result.stdout.debugDescription)")
        #expect(!result.stdout.dropLast().unicodeScalars.contains { $0.properties.generalCategory == .control },
                "\(result.stdout.debugDescription)")
        #expect(result.stdout.hasPrefix("failure"), "\(result.stdout.debugDescription)")
    }
}
