import Foundation
import Testing

/// `--kustomize` and `--helm` are gates: asked for with no renderer installed, `validate`
/// fails with exit status 2 and says what to install, unless `--render-optional` allows
/// validating without rendering.
@Suite struct ValidateRendererTests {
    private let overlay = TestSupport.fixtures.appendingPathComponent("validation/kustomize")
    private let chart = TestSupport.fixtures.appendingPathComponent("validation/helm")
    /// A PATH with neither kustomize, kubectl nor helm on it.
    private let bare = ["PATH": "/nonexistent"]

    @Test func kustomizeWithoutARendererIsAnError() throws {
        let result = try TestSupport.capstan(["validate", "--kustomize", overlay.path], environment: bare)
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stderr.contains("--kustomize needs kustomize or kubectl on PATH, which is not installed: install kustomize"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func helmWithoutHelmIsAnError() throws {
        let result = try TestSupport.capstan(["validate", "--helm", chart.path], environment: bare)
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stderr.contains("--helm needs helm on PATH, which is not installed: install helm 3"), "\(result.stderr)")
    }

    @Test func renderOptionalValidatesWithoutRendering() throws {
        for (flag, path, note) in [("--kustomize", overlay.path, "--kustomize: neither kustomize nor kubectl is installed"),
                                   ("--helm", chart.path, "--helm: helm not installed")] {
            let result = try TestSupport.capstan(["validate", flag, "--render-optional", path], environment: bare)
            #expect(result.status != 2, "\(flag): \(result.stderr)")
            #expect((result.stdout + result.stderr).contains(note), "\(flag): \(result.stdout)")
        }
    }
}
