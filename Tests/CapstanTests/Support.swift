import CapstanTestSupport
import Foundation

/// Paths and processes the end-to-end tests share.
enum TestSupport {
    /// The package root (…/Tests/CapstanTests/Support.swift → …).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// The `capstan` binary built next to this test bundle (or $CAPSTAN_BIN).
    static let capstan: URL = {
        if let override = ProcessInfo.processInfo.environment["CAPSTAN_BIN"] { return URL(fileURLWithPath: override) }
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let besideTests = bundleDirectory.appendingPathComponent("capstan")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return packageRoot.appendingPathComponent(".build/debug/capstan")
    }()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs a program to completion, capturing its output.
    @discardableResult
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                    environment: [String: String]? = nil) throws -> Result {
        let output = try ChildProcess.run(executable.path, arguments, directory: directory?.path,
                                          environment: environment ?? ProcessInfo.processInfo.environment)
        return Result(status: output.status, stdout: String(decoding: output.stdout, as: UTF8.self),
                      stderr: String(decoding: output.stderr, as: UTF8.self))
    }

    /// Runs `capstan` with `arguments`; `environment` adds to a minimal one (no CI token
    /// variables leak in from the machine running the tests).
    @discardableResult
    static func capstan(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        var base = ["PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path]
        base.merge(environment) { $1 }
        return try run(capstan, arguments, in: directory, environment: base)
    }

    /// A fresh temporary directory, removed by the caller with `removeTree`.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func copyTree(_ source: URL, to destination: URL) throws {
        try? FileManager.default.removeItem(at: destination)
        try FileManager.default.copyItem(at: source, to: destination)
    }

    /// Every regular file under `root`, relative path → bytes.
    static func snapshot(_ root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let base = root.resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return files }
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = base + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return files
    }
}
