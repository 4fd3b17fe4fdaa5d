import CapstanTestSupport
import Foundation

/// Release repositories made with the git CLI for `capstan wait`, and the capstan binary.
enum WaitFixtures {
    static let repositoryURL = "https://git.example.com/acme/release.git"

    /// The `capstan` binary built beside the test bundle (or $CAPSTAN_BIN).
    static let capstan: String = {
        if let override = ProcessInfo.processInfo.environment["CAPSTAN_BIN"] { return override }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("capstan").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return PackageRoot.url.appendingPathComponent(".build/debug/capstan").path
    }()

    static func temporaryDirectory(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-wait-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let gitEnvironment = ["PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path, "GIT_CONFIG_NOSYSTEM": "1",
                                 "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
                                 "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com"]

    @discardableResult
    static func git(_ arguments: [String], in directory: String) throws -> String {
        let output = try ChildProcess.run("/usr/bin/git", arguments, directory: directory, environment: gitEnvironment)
        guard output.status == 0 else {
            throw FixtureError("git \(arguments.joined(separator: " ")): \(String(decoding: output.stderr, as: UTF8.self))")
        }
        return String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A release repository with the given apps (Argo CD Applications, or Flux
    /// Kustomizations in clusters/prod), a base commit, a merge commit that changes every
    /// app's manifest, and a commit on another branch.
    struct Repository {
        let path: String
        let base: String
        let merge: String
        let other: String
    }

    enum Flavour {
        case argo
        case flux
    }

    static func repository(apps: [String], flavour: Flavour, helmReleases: Set<String> = []) throws -> Repository {
        let path = try temporaryDirectory("repo")
        try git(["init", "-q", "-b", "main"], in: path)
        try git(["remote", "add", "origin", repositoryURL], in: path)
        for app in apps {
            let file = "\(path)/\(flavour == .argo ? "argocd" : "clusters/prod")/\(app).yaml"
            if helmReleases.contains(app) {
                try write(helmRelease(app), to: file)
                try write("apiVersion: v2\nname: \(app)\nversion: 0.1.0\n", to: "\(path)/charts/\(app)/Chart.yaml")
                try write("image:\n  tag: 1.0.0\n", to: "\(path)/charts/\(app)/values.yaml")
            } else {
                try write(definition(app, flavour: flavour), to: file)
                try write(deployment(app, tag: "1.0.0"), to: "\(path)/envs/\(app)/deployment.yaml")
            }
        }
        if flavour == .flux {
            try write(ReconcilerManifests.fluxGitRepository(url: repositoryURL), to: "\(path)/clusters/prod/flux-system.yaml")
        }
        try git(["add", "-A"], in: path)
        try git(["commit", "-q", "-m", "base"], in: path)
        let base = try git(["rev-parse", "HEAD"], in: path)
        try git(["checkout", "-q", "-b", "other"], in: path)
        try write("# elsewhere\n", to: "\(path)/README.md")
        try git(["add", "-A"], in: path)
        try git(["commit", "-q", "-m", "other"], in: path)
        let other = try git(["rev-parse", "HEAD"], in: path)
        try git(["checkout", "-q", "main"], in: path)
        for app in apps {
            if helmReleases.contains(app) {
                try write("image:\n  tag: 1.1.0\n", to: "\(path)/charts/\(app)/values.yaml")
            } else {
                try write(deployment(app, tag: "1.1.0"), to: "\(path)/envs/\(app)/deployment.yaml")
            }
        }
        try git(["commit", "-q", "-am", "release 1.1.0"], in: path)
        let merge = try git(["rev-parse", "HEAD"], in: path)
        return Repository(path: path, base: base, merge: merge, other: other)
    }

    private static func definition(_ app: String, flavour: Flavour) -> String {
        switch flavour {
        case .argo: ReconcilerManifests.argoApplication(app, repoURL: repositoryURL, path: "envs/\(app)")
        case .flux: ReconcilerManifests.fluxKustomization(app, path: "./envs/\(app)")
        }
    }

    private static func helmRelease(_ app: String) -> String {
        """
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: \(app)
          namespace: flux-system
        spec:
          interval: 10m
          targetNamespace: shop
          chart:
            spec:
              chart: ./charts/\(app)
              reconcileStrategy: Revision
              sourceRef:
                kind: GitRepository
                name: flux-system

        """
    }

    static func deployment(_ app: String, tag: String) -> String {
        ReconcilerManifests.deployment(app, image: "ghcr.io/acme/\(app):\(tag)")
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Runs capstan with `arguments` in `directory` and `environment` (plus PATH and HOME).
    static func capstan(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> ChildProcess.Output {
        var env = ["PATH": "/usr/bin:/bin", "HOME": directory]
        env.merge(environment) { $1 }
        return try ChildProcess.run(capstan, arguments, directory: directory, environment: env)
    }
}

extension ChildProcess.Output {
    var out: String { String(decoding: stdout, as: UTF8.self) }
    var err: String { String(decoding: stderr, as: UTF8.self) }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: stdout) as? [String: Any]) ?? [:]
    }
}
