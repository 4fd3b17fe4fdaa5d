import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import YAML

/// A failure that stops a run before any verdict (exit status 2).
public enum ValidationFailure: Error, Sendable, CustomStringConvertible {
    case schema(SchemaError)
    case unreadableInput(path: String, reason: String)
    case usage(String)

    public var description: String {
        switch self {
        case let .schema(error): error.description
        case let .unreadableInput(path, reason): "\(path): \(reason)"
        case let .usage(message): message
        }
    }
}

/// Validates a tree: discovers files, registers CRDs, checks every resource against its
/// schema and the per-resource rules on all cores, then runs the cross-file rules.
public struct ValidationRun: Sendable {
    public let options: ValidationOptions

    public init(options: ValidationOptions) {
        self.options = options
    }

    /// Runs; `progress` is called now and then with (files done, files total).
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws(ValidationFailure) -> ValidationReport {
        let registry: SchemaRegistry
        do {
            registry = try SchemaRegistry(kubernetesVersion: options.kubernetesVersion, strict: options.strict,
                                          schemaDirectories: options.schemaDirectories)
        } catch {
            throw .schema(error)
        }
        var report = ValidationReport()
        report.kubernetesVersion = registry.kubernetesVersion
        let minor = Int(registry.kubernetesVersion.split(separator: ".").dropFirst().first ?? "") ?? 99

        var discovery = FileDiscovery()
        discovery.include = options.include.map(Glob.init)
        discovery.exclude = options.exclude.map(Glob.init)
        for path in options.paths where path != "-" && !FileManager.default.fileExists(atPath: path) {
            throw .unreadableInput(path: path, reason: "no such file or directory")
        }
        let readsStandardInput = options.paths.contains("-")
        let found = discovery.discover(options.paths.filter { $0 != "-" })
        var inputs = found.files.map { FileInput.disk($0) }
        if readsStandardInput {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            inputs.append(.memory(path: "<stdin>", bytes: [UInt8](data)))
        }
        for file in options.crdFiles {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .unreadableInput(path: file, reason: "cannot read the CRD file")
            }
            do {
                let parsed = try YAMLFile.parse([UInt8](data), path: file)
                for document in parsed.documents where document.root.resolved["kind"]?.string == "CustomResourceDefinition" {
                    try registry.register(definition: document.root.resolved)
                }
            } catch let error as YAMLError {
                throw .unreadableInput(path: file, reason: error.description)
            } catch let error as SchemaError {
                throw .schema(error)
            } catch {
                throw .unreadableInput(path: file, reason: "\(error)")
            }
        }

        let patchFiles = KustomizationReferences.patchFiles(among: found.files)
        let workers = max(1, options.concurrency ?? ProcessInfo.processInfo.activeProcessorCount)
        // CRDs in the tree must be known before any resource is validated: find them first.
        let candidates = ResultSlots<Bool>(count: inputs.count)
        let scanList = inputs
        Self.parallel(count: inputs.count, workers: workers) { range in
            for position in range { candidates.set(position, scanList[position].mayHoldDefinition) }
        }
        var crdFindings: [Finding] = []
        for (position, flag) in candidates.values.enumerated() where flag == true {
            crdFindings += registerDefinitions(in: inputs[position], registry: registry)
        }

        let inputList = inputs
        let checker = FileChecker(registry: registry, options: options, kubernetesMinor: minor, patchFiles: patchFiles)
        let slots = ResultSlots<FileChecker.Result>(count: inputs.count)
        let counter = ProgressCounter(total: inputs.count, report: progress)
        Self.parallel(count: inputs.count, workers: workers) { range in
            for position in range { slots.set(position, checker.check(inputList[position])) }
            counter.advance(by: range.count)
        }

        var facts = TreeFacts()
        var findings = crdFindings
        for result in slots.values {
            guard let result else { continue }
            if result.skipped { report.skippedFiles += 1; continue }
            report.files += 1
            report.resources += result.resources
            report.valid += result.valid
            report.invalid += result.invalid
            report.skipped += result.skippedResources
            findings += result.findings
            facts.merge(result.facts)
        }
        let root = options.repositoryRoot ?? Self.defaultRoot(options.paths)
        let urls = options.repositoryURLs + TreeRules.remoteURLs(repositoryRoot: root)
        findings += TreeRules(facts: facts, repositoryRoot: root, repositoryURLs: urls).check()
        if options.kustomize {
            let rendered = KustomizeRenderer(checker: checker).render(found.files.filter(KustomizationReferences.isKustomizationFile))
            findings += rendered.findings
            report.notes += rendered.notes
            report.resources += rendered.resources
            report.valid += rendered.valid
            report.invalid += rendered.invalid
        }
        if options.helm {
            report.notes += HelmRenderer.note(charts: found.charts)
        }
        var rules = options.rules
        if options.strict { rules.enabled.insert(.duplicateKey) }
        report.findings = findings.compactMap(rules.apply).sorted(by: Self.order)
        return report
    }

    /// Runs `body` over chunks of 0..<count on `workers` threads (inline when there is one).
    private static func parallel(count: Int, workers: Int, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        if workers == 1 {
            body(0..<count)
            return
        }
        let chunk = max(1, min(64, count / (workers * 8)))
        let chunks = (count + chunk - 1) / chunk
        let next = ProgressCounter.Cursor()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let index = next.take()
                guard index < chunks else { return }
                body(index * chunk..<min(count, (index + 1) * chunk))
            }
        }
    }

    private static func order(_ a: Finding, _ b: Finding) -> Bool {
        (a.file, a.line, a.column, a.rule, a.message) < (b.file, b.line, b.column, b.rule, b.message)
    }

    private static func defaultRoot(_ paths: [String]) -> String {
        let directories = paths.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        return directories.count == 1 ? directories[0] : "."
    }

    private func registerDefinitions(in input: FileInput, registry: SchemaRegistry) -> [Finding] {
        guard let bytes = try? input.read(), let parsed = try? YAMLFile.parse(bytes, path: input.path) else { return [] }
        var findings: [Finding] = []
        for document in parsed.documents {
            let root = document.root.resolved
            guard root["kind"]?.resolved.string == "CustomResourceDefinition",
                  root["apiVersion"]?.resolved.string?.hasPrefix("apiextensions.k8s.io/") == true else { continue }
            do {
                try registry.register(definition: root)
            } catch {
                findings.append(Finding(at: root.location, rule: .schema, message: "its schema cannot be used: \(error)"))
            }
        }
        return findings
    }
}

/// One input: a file on disk or bytes already read (standard input).
enum FileInput: Sendable {
    case disk(String)
    case memory(path: String, bytes: [UInt8])

    var path: String {
        switch self {
        case let .disk(path): path
        case let .memory(path, _): path
        }
    }

    func read() throws(ValidationFailure) -> [UInt8] {
        switch self {
        case let .memory(_, bytes): return bytes
        case let .disk(path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .unreadableInput(path: path, reason: "cannot read the file")
            }
            return [UInt8](data)
        }
    }

    /// A cheap test before parsing: only files that mention CustomResourceDefinition are parsed early.
    var mayHoldDefinition: Bool {
        guard let bytes = try? read() else { return false }
        let needle = Array("CustomResourceDefinition".utf8)
        return bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { pattern in
                guard haystack.count >= pattern.count, let base = haystack.baseAddress, let first = pattern.first else { return false }
                var index = 0
                let last = haystack.count - pattern.count
                while index <= last {
                    if haystack[index] == first, memcmp(base + index, pattern.baseAddress!, pattern.count) == 0 { return true }
                    index += 1
                }
                return false
            }
        }
    }
}

/// Per-index result storage written by concurrent workers; each slot is written once,
/// by one worker, and read only after all workers are done.
final class ResultSlots<Value>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = NSLock()

    init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: Value) {
        lock.withLock { storage[index] = value }
    }

    var values: [Value?] { lock.withLock { storage } }
}

/// Counts finished files and reports progress at most every 2% of the work.
final class ProgressCounter: @unchecked Sendable {
    /// Hands out chunk numbers to worker threads, one at a time.
    final class Cursor: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func take() -> Int {
            lock.withLock {
                defer { value += 1 }
                return value
            }
        }
    }

    private let lock = NSLock()
    private let total: Int
    private let report: (@Sendable (Int, Int) -> Void)?
    private var done = 0
    private var lastReported = 0

    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
    }

    func advance(by count: Int) {
        guard let report else { return }
        let current: Int? = lock.withLock {
            done += count
            guard done - lastReported >= max(1, total / 50) || done == total else { return nil }
            lastReported = done
            return done
        }
        if let current { report(current, total) }
    }
}
