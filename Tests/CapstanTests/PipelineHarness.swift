import CapstanTestSupport
import Foundation
import YAML

/// Where an example pipeline runs for real: a loopback test forge holding the Argo CD
/// example as acme/release-repo (or, for Flux, the same tree deployed by Flux objects), a PATH per image holding only the tools that image has
/// (`capstan`, the built binary; stand-ins for `docker`, `argocd` and the hosted runner's
/// `curl`), and a transcript of everything the pipeline's scripts printed.
final class PipelineHarness {
    static let project = "acme/release-repo"
    static let example = TestSupport.packageRoot.appendingPathComponent("examples/argocd-release-repo")
    /// The release repository's address in the examples.
    static let publicURL = "https://github.com/acme/release-repo.git"

    let forge: TestForge
    let root: URL
    let bare: URL
    let bin: URL
    /// The release repository's address as this CI's pipeline names it, on the test forge.
    let releaseURL: String
    /// Who deploys the release repository.
    let reconciler: Reconciler
    /// Secrets the pipeline is given besides the forge's token; none may be printed either.
    let otherSecrets = ["argocd-tok-" + UUID().uuidString, "app-job-tok-" + UUID().uuidString]
    private(set) var transcript = ""
    private var scripts = 0
    private var greenHeads: Set<String> = []

    /// `forgeFlags`: append `--forge KIND --forge-url …` to the forge-talking Capstan calls,
    /// for pipelines whose release repository lives on a public host (the loopback forge
    /// cannot be recognised by its address, and these CIs name no server of their own).
    /// `releasePath`: the repository's path as the forge's clone URLs spell it.
    /// `repoURLsOnForge`: the release repository's Argo CD sources name it by its test-forge
    /// address (as they name the real one), for `capstan wait`, which links apps by it.
    /// `reconciler`: who deploys the release repository; for Flux its Argo CD objects are
    /// replaced by `FluxTree.files`, which deploy the same manifests, chart and values.
    init(kind: String, label: String, forgeFlags: Bool = false, releasePath: String? = nil, extraFiles: [String: String] = [:],
         repoURLsOnForge: Bool = false, reconciler: Reconciler = .argoCD) throws {
        self.reconciler = reconciler
        root = try TestSupport.temporaryDirectory("pipeline-\(label)")
        let forge = try TestForge(kind: kind, root: root, token: "forge-tok-" + UUID().uuidString)
        // The release repository's CI also reports (green, a little late) on heads no step
        // reported on, such as the PR `pr revert --merge` opens and merges in one step:
        // `pr merge` waits for a check and merges nothing without one.
        try forge.inject(#"{"ci_reports_after": 1}"#)
        self.forge = forge
        let owner = root.appendingPathComponent("repos/acme")
        try FileManager.default.createDirectory(at: owner, withIntermediateDirectories: true)
        let tree = root.appendingPathComponent("release-tree")
        try TestSupport.copyTree(Self.example, to: tree)
        if reconciler == .flux {
            for folder in FluxTree.removed { try FileManager.default.removeItem(at: tree.appendingPathComponent(folder)) }
        }
        for (path, text) in extraFiles.merging(reconciler == .flux ? FluxTree.files : [:], uniquingKeysWith: { $1 }) {
            let url = tree.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        if repoURLsOnForge {
            for (path, data) in try TestSupport.snapshot(tree) {
                let text = String(decoding: data, as: UTF8.self)
                guard text.contains(Self.publicURL) else { continue }
                try text.replacingOccurrences(of: Self.publicURL, with: releasePath.map { forge.webURL + $0 } ?? forge.cloneURL(Self.project))
                    .write(to: tree.appendingPathComponent(path), atomically: true, encoding: .utf8)
            }
        }
        bare = try GitFixtures.bareRepository(in: owner, name: "release-repo", copying: tree)
        releaseURL = releasePath.map { forge.webURL + $0 } ?? forge.cloneURL(Self.project)
        bin = root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let extra = forgeFlags ? " --forge \(forge.kind) --forge-url \(forge.apiRoot)" : ""
        let capstan = """
        # The built capstan, each call's arguments logged (never the environment).
        printf '%s\\n' "$*" >> '\(calls.path)'
        case "$1" in update|pr|apps|wait) exec '\(TestSupport.capstan.path)' "$@"\(extra) ;; esac
        exec '\(TestSupport.capstan.path)' "$@"
        """
        let docker = """
        # Stands in for docker: a push needs a login to the image's registry first, and the
        # password comes on stdin (on the command line it would show in `ps`).
        case "$1" in
        login)
          shift; registry=docker.io; stdin=no
          while [ $# -gt 0 ]; do
            case "$1" in
              -u|--username) shift ;;
              --password-stdin) stdin=yes ;;
              -p|--password|--password=*) echo "docker login: the test wants --password-stdin" >&2; exit 1 ;;
              -*) ;;
              *) registry="$1" ;;
            esac
            shift
          done
          [ "$stdin" = yes ] || { echo "Error: Cannot perform an interactive login from a non TTY device" >&2; exit 1; }
          password=$(cat)
          [ -n "$password" ] || { echo "Error: Cannot perform an interactive login from a non TTY device" >&2; exit 1; }
          echo "$registry" >> '\(dockerLogins.path)'
          echo "Login Succeeded" ;;
        push)
          registry="${2%%/*}"
          case "$registry" in *.*|*:*) ;; *) registry=docker.io ;; esac
          grep -qxF "$registry" '\(dockerLogins.path)' 2>/dev/null || { echo "denied: not logged in to $registry" >&2; exit 1; }
          echo "docker push $2: stood in for by the test" ;;
        *) echo "docker $*: stood in for by the test" ;;
        esac
        """
        let argocd = """
        # Stands in for Argo CD's CLI: the app is healthy unless the test says the rollout fails.
        printf '%s|%s\\n' "$CAPSTAN_TEST_IMAGE" "$0" >> '\(argocdCalls.path)'
        [ -n "$ARGOCD_SERVER" ] || { echo "argocd: ARGOCD_SERVER is not set" >&2; exit 1; }
        [ -n "$ARGOCD_AUTH_TOKEN" ] || { echo "argocd: ARGOCD_AUTH_TOKEN is not set" >&2; exit 1; }
        if [ -e '\(rolloutFailure.path)' ]; then echo "application 'checkout-prod' health is Degraded" >&2; exit 20; fi
        echo "application 'checkout-prod' is Healthy"
        """
        let argocdTool = bin.appendingPathComponent("argocd-image/argocd").path
        let curl = """
        # Stands in for the hosted runner's curl: serves Argo CD's CLI release asset (not
        # executable until the pipeline makes it so), and nothing else.
        out=""; url=""
        while [ $# -gt 0 ]; do
          case "$1" in -o) shift; out="$1" ;; --retry) shift ;; -*) ;; *) url="$1" ;; esac
          shift
        done
        case "$url" in
          https://github.com/argoproj/argo-cd/releases/download/v*/argocd-linux-amd64) [ -n "$out" ] && cat '\(argocdTool)' > "$out" ;;
          *) echo "curl: (6) the test serves only Argo CD's CLI release, not $url" >&2; exit 6 ;;
        esac
        """
        // Each image's own tools: only Argo CD's image has argocd; the hosted runner has
        // curl and docker (and capstan through the action).
        try tool("capstan-image/capstan", capstan)
        try tool("argocd-image/argocd", argocd)
        try tool("docker-image/docker", docker)
        try tool("runner/capstan", capstan)
        try tool("runner/docker", docker)
        try tool("runner/curl", curl)
    }

    enum Reconciler: String, CaseIterable, CustomStringConvertible {
        case argoCD = "argocd"
        case flux

        var description: String { rawValue }
    }

    /// The images the example pipelines run their steps in.
    enum Image {
        static let capstan = "registry.example.com/tools/capstan:"
        static let argocd = "quay.io/argoproj/argocd:"
        static let docker = "docker:"
        /// A hosted runner (GitHub's `runs-on: ubuntu-…`, Azure's `vmImage`).
        static let runner = "ubuntu-"

        /// Whether the image's own USER is not root (Argo CD's runs as uid 999): CI systems
        /// that add a user or write the clone as root need it started as root.
        static func runsAsNonRoot(_ image: String) -> Bool { image.hasPrefix(argocd) }
    }

    /// The tools on PATH in `image`: a step finds only what its image really has.
    func tools(in image: String) throws -> URL {
        let folder = switch image {
        case _ where image.hasPrefix(Image.capstan): "capstan-image"
        case _ where image.hasPrefix(Image.argocd): "argocd-image"
        case _ where image.hasPrefix(Image.docker): "docker-image"
        case _ where image.hasPrefix(Image.runner): "runner"
        default: throw FixtureError("the test knows no image \(image)")
        }
        return bin.appendingPathComponent(folder)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    private var calls: URL { root.appendingPathComponent("capstan-calls.log") }
    private var rolloutFailure: URL { root.appendingPathComponent("rollout-fails") }
    private var dockerLogins: URL { root.appendingPathComponent("docker-logins") }
    private var argocdCalls: URL { root.appendingPathComponent("argocd-calls.log") }

    /// Every `argocd` call: the image of the step that made it and the path it ran from.
    var argocdInvocations: [(image: String, path: String)] {
        let text = (try? String(contentsOf: argocdCalls, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let parts = line.split(separator: "|", maxSplits: 1).map(String.init)
            return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
        }
    }

    /// Whether every `argocd` call ran where the CLI really exists: in Argo CD's image, or
    /// on a hosted runner from a copy the pipeline installed (not the test's own stand-in).
    var argocdRanOnlyWhereInstalled: Bool {
        !argocdInvocations.isEmpty && argocdInvocations.allSatisfy { call in
            call.image.hasPrefix(Image.argocd) || (call.image.hasPrefix(Image.runner) && !call.path.hasPrefix(bin.path))
        }
    }

    /// A registry login made by a CI's own login step (GitHub's docker/login-action).
    func recordDockerLogin(_ registry: String) throws {
        let logins = (try? String(contentsOf: dockerLogins, encoding: .utf8)) ?? ""
        try (logins + registry + "\n").write(to: dockerLogins, atomically: true, encoding: .utf8)
    }

    /// A line in the transcript from the runner itself (not from a script).
    func note(_ label: String, _ text: String) { transcript += "── \(label)\n\(text)\n" }

    /// Writes an executable script through a close-on-exec descriptor: a child spawned by a
    /// parallel test must not inherit it open for writing, or running it fails with
    /// "Text file busy".
    private func tool(_ name: String, _ body: String) throws {
        let path = bin.appendingPathComponent(name).path
        try FileManager.default.createDirectory(at: bin.appendingPathComponent(name).deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw FixtureError("cannot write \(path)") }
        defer { close(descriptor) }
        let bytes = Array(("#!/bin/sh\n" + body + "\n").utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw FixtureError("cannot write \(path)") }
    }

    /// Makes the rollout check (`argocd app wait`) fail, as a bad release would.
    func failTheRollout() throws { try Data().write(to: rolloutFailure) }

    /// The Capstan commands the pipeline ran, in order (`update`, `pr open`, …).
    var capstanCommands: [String] {
        let text = (try? String(contentsOf: calls, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let words = line.split(separator: " ").map(String.init)
            return words.first == "pr" && words.count > 1 ? "pr \(words[1])" : words.first ?? ""
        }
    }

    /// A fresh directory for a job's work tree (`name`, or `name-2`, … on a later run).
    func directory(_ name: String) throws -> URL {
        var url = root.appendingPathComponent("work/\(name)")
        var attempt = 1
        while FileManager.default.fileExists(atPath: url.path) {
            attempt += 1
            url = root.appendingPathComponent("work/\(name)-\(attempt)")
        }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The environment every CI gives a script in `image`, before its own variables.
    func baseEnvironment(_ image: String) throws -> [String: String] {
        ["PATH": try tools(in: image).path + ":/usr/bin:/bin", "HOME": root.appendingPathComponent("home").path, "CI": "true",
         "LANG": "C.UTF-8", "CAPSTAN_TEST_IMAGE": image]
    }

    /// Runs one step's script in `image` with `interpreter` (the CI's shell and its flags), logging
    /// what it printed. The release repository's CI reports on every open PR's head first
    /// (green unless the test says otherwise), so a `pr merge` finds its checks done.
    @discardableResult
    func run(_ label: String, image: String, _ interpreter: [String], script: String, environment: [String: String], in directory: URL) throws -> TestSupport.Result {
        try reportChecks()
        scripts += 1
        let file = root.appendingPathComponent("scripts/\(scripts).sh")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try script.write(to: file, atomically: true, encoding: .utf8)
        let result = try TestSupport.run(URL(fileURLWithPath: interpreter[0]), Array(interpreter.dropFirst()) + [file.path],
                                         in: directory, environment: try baseEnvironment(image).merging(environment) { $1 })
        transcript += "── \(label) (exit \(result.status))\n\(result.stdout)\(result.stderr)"
        return result
    }

    /// What the release repository's checks report on every PR head: "success", or
    /// "failure" for a change that breaks them.
    var checksState = "success"

    /// Posts `checksState` on the head of every open PR not yet reported, as the release
    /// repository's own checks would.
    func reportChecks() throws {
        for pr in forge.pullRequests where pr["state"] as? String == "open" {
            guard let number = pr["number"] as? Int, let head = pr["head"] as? String,
                  let sha = try? GitFixtures.git(["rev-parse", "refs/heads/\(head)"], in: bare), !greenHeads.contains(sha) else { continue }
            greenHeads.insert(sha)
            let result = try TestSupport.capstan(["pr", "status", "--pr", "\(number)", "--state", checksState, "--context", "release-checks"] + apiFlags,
                                                 environment: ["FORGE_TOKEN": forge.token])
            guard result.status == 0 else { throw FixtureError("could not report the checks: \(result.stderr)") }
        }
    }

    /// Flags that reach the forge's API directly (for the test's own calls).
    var apiFlags: [String] {
        ["--repo", releaseURL, "--token-env", "FORGE_TOKEN", "--forge", forge.kind, "--forge-url", forge.apiRoot]
            + (forge.kind == "azure-devops" ? [] : ["--project", Self.project])
    }

    /// `envs/prod/config.yaml` on the release repository's main branch.
    func prodConfig() throws -> String { try GitFixtures.show(bare, "main", "envs/prod/config.yaml") }
    static func originalProdConfig() throws -> String {
        try String(contentsOf: example.appendingPathComponent("envs/prod/config.yaml"), encoding: .utf8)
    }

    /// Secrets found in what the pipeline printed or left in its work trees and step output
    /// files. GitHub's
    /// `::add-mask::` command is where the action hands the runner its token to hide, so it
    /// is the one line allowed to name it.
    func leakedSecrets(also extra: [String] = []) throws -> [String] {
        var texts = [transcript.split(separator: "\n").filter { !$0.hasPrefix("::add-mask::") }.joined(separator: "\n")]
        for folder in ["work", "outputs"] {
            for (_, data) in try TestSupport.snapshot(root.appendingPathComponent(folder)) { texts.append(String(decoding: data, as: UTF8.self)) }
        }
        return ([forge.token] + otherSecrets + extra).filter { secret in texts.contains { $0.contains(secret) } }
    }

    /// A pipeline file from examples/ci, its release repository's address swapped for the
    /// test forge's (`from`; nil when the pipeline takes it from the CI's own server URL).
    static func pipeline(_ name: String, swapping from: String? = nil, to: String? = nil) throws -> YAMLFile {
        try pipeline(name, swaps: from.flatMap { from in to.map { [(from, $0)] } } ?? [])
    }

    /// A pipeline file with each `(from, to)` swapped (every `from` must be in it).
    static func pipeline(_ name: String, swaps: [(String, String)]) throws -> YAMLFile {
        var text = try String(contentsOf: TestSupport.packageRoot.appendingPathComponent("examples/ci/\(name)"), encoding: .utf8)
        for (from, to) in swaps {
            guard text.contains(from) else { throw FixtureError("\(name) does not name \(from)") }
            text = text.replacingOccurrences(of: from, with: to)
        }
        return try YAMLFile.parse(Array(text.utf8), path: name)
    }
}
