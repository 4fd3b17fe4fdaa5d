import Foundation

/// GitHub Actions step outputs: appended to the file `$GITHUB_OUTPUT` names, when it does.
enum GitHubActions {
    static func writeOutputs(_ outputs: [(String, String)]) {
        guard let path = ProcessInfo.processInfo.environment["GITHUB_OUTPUT"], !path.isEmpty,
              let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        for (name, value) in outputs {
            if value.contains("\n") {
                let delimiter = "capstan_\(UUID().uuidString)"
                handle.write(Data("\(name)<<\(delimiter)\n\(value)\n\(delimiter)\n".utf8))
            } else {
                handle.write(Data("\(name)=\(value)\n".utf8))
            }
        }
    }
}
