import Foundation
import PackagePlugin

/// Names the commit being built in the module it is attached to (`buildCommit`), so
/// `capstan version` can say which source a binary came from. The work is a prebuild
/// command (scripts/build-commit.sh), because prebuild commands run before every build and
/// a new commit must show up without a clean build.
@main
struct BuildCommitPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        let script = context.package.directoryURL.appending(path: "scripts/build-commit.sh")
        var environment: [String: String] = [:]
        if let commit = ProcessInfo.processInfo.environment["CAPSTAN_BUILD_COMMIT"] { environment["CAPSTAN_BUILD_COMMIT"] = commit }
        return [
            .prebuildCommand(
                displayName: "Naming the commit being built",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, context.package.directoryURL.path, output.appending(path: "BuildCommit.swift").path],
                environment: environment,
                outputFilesDirectory: output
            ),
        ]
    }
}
