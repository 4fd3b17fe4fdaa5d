import Foundation
@testable import Edits
import Signatures
import Testing
import YAML

@Suite struct HelmLockDigestTests {
    /// argoproj/argo-helm charts/argo-cd: the Chart.lock Helm wrote on 2022-05-21 and the
    /// dependency block of the Chart.yaml it locked. Helm's own digest must come out.
    @Test func reproducesADigestHelmWrote() throws {
        let chart = try YAMLFile.parse("""
        apiVersion: v2
        name: argo-cd
        dependencies:
          - name: redis-ha
            version: 4.15.0
            repository: https://dandydeveloper.github.io/charts/
            condition: redis-ha.enabled
        """)
        let lock = try YAMLFile.parse("""
        dependencies:
        - name: redis-ha
          repository: https://dandydeveloper.github.io/charts/
          version: 4.15.0
        digest: sha256:dbe1d621ce62ce8cf42eb1b60b8d35667beb8920bc3dbf7417f77081c8ed5f2d
        generated: "2022-05-21T12:28:08.0813269-04:00"
        """)
        let digest = HelmLockDigest.compute(chart: chart, lock: lock, sha256: { Digest.sha256Hex($0) })
        #expect(digest == "sha256:dbe1d621ce62ce8cf42eb1b60b8d35667beb8920bc3dbf7417f77081c8ed5f2d")
    }

    @Test func goEscapesHTMLCharacters() {
        #expect(HelmLockDigest.goString("a<b>&\"c\"\n") == #""a\u003cb\u003e\u0026\"c\"\n""#)
    }

    @Test func unknownDependencyFieldsMeanNoDigest() throws {
        let chart = try YAMLFile.parse("dependencies:\n- name: x\n  repository: r\n  surprise: 1\n")
        let lock = try YAMLFile.parse("dependencies: []\ndigest: sha256:00\n")
        #expect(HelmLockDigest.compute(chart: chart, lock: lock, sha256: { Digest.sha256Hex($0) }) == nil)
    }
}
