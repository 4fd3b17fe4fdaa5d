import Foundation

/// Runs a real tool (git, gpg, ssh-keygen) as an independent oracle or fixture maker.
struct Shell {
    struct Result {
        let status: Int32
        let output: String
        let error: String
        var succeeded: Bool { status == 0 }
    }

    struct Failure: Error, CustomStringConvertible {
        let command: [String]
        let result: Result
        var description: String { "\(command.joined(separator: " ")) exited \(result.status): \(result.error)\(result.output)" }
    }

    var directory: String
    var environment: [String: String] = [:]

    /// Runs `arguments` and returns whatever happened.
    func run(_ arguments: [String], input: Data? = nil, extraEnvironment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        for (key, value) in extraEnvironment { env[key] = value }
        process.environment = env
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        if let input {
            let inURL = scratch.appendingPathComponent("in")
            try input.write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus,
                      output: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      error: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// Runs `arguments`, failing when the tool fails; returns its standard output.
    @discardableResult
    func must(_ arguments: [String], input: Data? = nil, extraEnvironment: [String: String] = [:]) throws -> String {
        let result = try run(arguments, input: input, extraEnvironment: extraEnvironment)
        guard result.succeeded else { throw Failure(command: arguments, result: result) }
        return result.output
    }
}

/// Paths of the package, found from this file.
enum PackagePaths {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var fixtures: String { root + "/Tests/Fixtures/signatures" }
    /// Public keys kept with the fixtures (Tests/Fixtures/signatures/keys, with their provenance).
    static var keys: String { fixtures + "/keys" }
}
