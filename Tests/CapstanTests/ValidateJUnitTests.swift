import Foundation
import Testing

/// `capstan validate --output junit` read as CI systems read it: validated against the
/// Jenkins JUnit XSD (lxml) and parsed by junitparser from PyPI, whose counts must agree
/// with the test cases (Tests/Fixtures/junit/check_junit.py). One testsuite per run, one
/// testcase per file validated.
@Suite struct ValidateJUnitTests {
    private struct Summary: Decodable {
        struct Case: Decodable {
            let name: String
            let classname: String?
            let state: String
            let messages: [String?]
            let text: [String?]
        }
        let suites: Int
        let tests: Int
        let failures: Int
        let errors: Int
        let skipped: Int
        let cases: [Case]
    }

    private static let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: NAME\ndata:\n  k: v\n"

    /// Runs validate in `root` with JUnit output and reads the report as a CI system would.
    private func junit(in root: URL) throws -> (status: Int32, summary: Summary) {
        let result = try TestSupport.capstan(["validate", "--output", "junit", "."], in: root)
        let report = root.appendingPathComponent("report.xml")
        try Data(result.stdout.utf8).write(to: report)
        defer { try? FileManager.default.removeItem(at: report) }
        let fixtures = TestSupport.fixtures.appendingPathComponent("junit")
        let check = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/env"),
                                        ["python3", fixtures.appendingPathComponent("check_junit.py").path,
                                         fixtures.appendingPathComponent("junit-10.xsd").path, report.path])
        #expect(check.status == 0, "\(check.stderr)\n\(result.stdout)")
        return (result.status, try JSONDecoder().decode(Summary.self, from: Data(check.stdout.utf8)))
    }

    @Test func aCleanRunListsEveryFileAsAPassingTestCase() throws {
        let root = try TestSupport.temporaryDirectory("junit-clean")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.configMap.replacingOccurrences(of: "NAME", with: "one").write(to: root.appendingPathComponent("one.yaml"), atomically: true, encoding: .utf8)
        try Self.configMap.replacingOccurrences(of: "NAME", with: "two").write(to: root.appendingPathComponent("two.yaml"), atomically: true, encoding: .utf8)
        try "just: settings\n".write(to: root.appendingPathComponent("settings.yaml"), atomically: true, encoding: .utf8)  // not Kubernetes

        let (status, summary) = try junit(in: root)
        #expect(status == 0)
        #expect(summary.suites == 1 && summary.tests == 2 && summary.failures == 0 && summary.errors == 0)
        #expect(summary.cases.map(\.name) == ["one.yaml", "two.yaml"])
        #expect(summary.cases.allSatisfy { $0.state == "passed" && $0.classname == "capstan validate" })
    }

    @Test func aFileWithErrorsIsOneFailedTestCaseAndWarningsDoNotFail() throws {
        let root = try TestSupport.temporaryDirectory("junit-mixed")
        defer { try? FileManager.default.removeItem(at: root) }
        // Two errors in one file: a string where an integer belongs, and a removed apiVersion.
        try """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: "three"
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "nginx:1.27"}]}
        ---
        apiVersion: batch/v1beta1
        kind: CronJob
        metadata: {name: nightly}
        """.write(to: root.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        // A warning only (image :latest), and a value with control characters XML cannot hold.
        try """
        apiVersion: v1
        kind: Pod
        metadata: {name: "p\\u0001<&>\\u001b"}
        spec: {containers: [{name: c, image: "nginx:latest"}]}
        """.write(to: root.appendingPathComponent("warned.yaml"), atomically: true, encoding: .utf8)
        try Self.configMap.replacingOccurrences(of: "NAME", with: "fine").write(to: root.appendingPathComponent("fine.yaml"), atomically: true, encoding: .utf8)
        // A file name with a control character.
        try "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: odd}\ndata: {k: 1}\n"
            .write(to: root.appendingPathComponent("odd\u{1}.yaml"), atomically: true, encoding: .utf8)

        let (status, summary) = try junit(in: root)
        #expect(status == 1)
        #expect(summary.suites == 1 && summary.tests == 4 && summary.failures == 2 && summary.errors == 0)
        #expect(summary.cases.map(\.name) == ["broken.yaml", "fine.yaml", "odd\u{FFFD}.yaml", "warned.yaml"])
        #expect(summary.cases.map(\.state) == ["failure", "passed", "failure", "passed"])
        let broken = summary.cases[0]
        #expect(broken.messages.first??.hasPrefix("2 errors; the first: ") == true, "\(broken.messages)")
        #expect(broken.text.first??.components(separatedBy: "\n").count == 2, "\(broken.text)")
    }
}
