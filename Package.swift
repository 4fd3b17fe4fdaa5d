// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "capstan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "capstan", targets: ["capstan"]),
        .library(name: "Capstan", targets: ["Words", "Steps", "Edits", "Validation", "Apps", "YAML", "Git", "Signatures", "Forges", "Reconcilers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: C libraries (Debian packages). Each is imported by exactly one Swift module.

        /// libyaml: the event parser under the byte-exact document model. Only `YAML` imports it.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        /// libgit2: clone, fetch, commit, push. Only `Git` imports it.
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        /// OpenSSL 3: hashes and signature primitives. Only `Signatures` imports it.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        /// libcurl: every HTTP request the product makes. Only `HTTP` imports it.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        /// zlib: inflates the compiled-in schema bundle. Only `Validation` imports it.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        /// The schema bundle as a generated C byte array (scripts/generate-schemas.py); C compiles it in seconds.
        .target(name: "CSchemaBundle", exclude: ["NOTICE", "LICENSE-crds-catalog", "LICENSE-apache-2.0"]),

        // MARK: Libraries, lowest layer first.

        /// Words others control (forge and reconciler answers) made one printable line, cut and masked.
        .target(name: "Words"),
        /// The version and the commit a binary was built from (generated before each build).
        .target(name: "BuildInfo", plugins: ["BuildCommitPlugin"]),

        /// YAML documents with exact byte spans, comments and splice edits.
        .target(name: "YAML", dependencies: ["CYAML"]),
        /// Image, chart and value setters over a tree of files; unified diffs.
        .target(name: "Edits", dependencies: ["YAML"]),
        /// Offline manifest validation: schema engine, bundled schemas, GitOps rules, reports.
        .target(name: "Validation", dependencies: ["YAML", "CSchemaBundle", "CZlib"]),
        /// Linked apps: Argo CD and Flux objects that deploy from the repository, and the files tying each to a change.
        .target(name: "Apps", dependencies: ["YAML", "Validation", "Edits", "Signatures", "HTTP", "Words"]),
        /// HTTP through libcurl: deadlines, size limits, same-origin redirects, private CAs, client certificates.
        .target(name: "HTTP", dependencies: ["CCurl"]),
        /// Git repositories through libgit2.
        .target(name: "Git", dependencies: ["CGit2"]),
        /// Digests and signature verification through OpenSSL.
        .target(name: "Signatures", dependencies: ["COpenSSL"]),
        /// Pull requests on GitHub, GitLab, Gitea/Forgejo, Bitbucket and Azure DevOps over the HTTP transport.
        .target(name: "Forges", dependencies: ["HTTP", "Words"]),
        /// Rollout state from the reconcilers: Argo CD's REST API and Flux objects through the Kubernetes API.
        .target(name: "Reconcilers", dependencies: ["YAML", "HTTP", "Words"]),
        /// The pipeline steps the CLI runs; each ends in a printable outcome.
        .target(name: "Steps", dependencies: ["BuildInfo", "Words", "Edits", "Validation", "Apps", "YAML", "Git", "Signatures", "Forges", "Reconcilers"]),

        // MARK: Build tools.

        /// Writes the commit being built into `BuildInfo`, before every build.
        .plugin(name: "BuildCommitPlugin", capability: .buildTool()),

        // MARK: The thin executable.

        .executableTarget(
            name: "capstan",
            dependencies: [
                "Steps",
                "Signatures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests.

        /// Test helpers shared by the test targets: children spawned with posix_spawn, loopback servers.
        .target(name: "CapstanTestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "EditsTests", dependencies: ["Edits", "YAML", "Signatures"]),
        .testTarget(name: "ValidationTests", dependencies: ["Validation", "Steps", "YAML"]),
        .testTarget(name: "CapstanTests", dependencies: ["Words", "Steps", "Git", "Signatures", "Forges", "YAML", "CapstanTestSupport"]),
        /// Linked-app discovery and change impact on realistic Flux and Argo CD repositories; reconciler webhooks on loopback.
        .testTarget(name: "AppsTests", dependencies: ["Apps", "Steps", "Git", "Signatures", "CapstanTestSupport"]),
        /// `capstan wait`: revision pinning and health judgement; Argo CD and Kubernetes API loopback servers.
        .testTarget(name: "ReconcilersTests", dependencies: ["Words", "Reconcilers", "Steps", "Git", "Apps", "CapstanTestSupport"]),
        /// OpenPGP and SSH signatures checked against real GnuPG, ssh-keygen and git.
        /// The HTTP transport against loopback servers that redirect, stall, trickle and flood.
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "CapstanTestSupport"]),
        .testTarget(name: "SignaturesTests", dependencies: ["Signatures", "Git", "Steps", "CapstanTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
