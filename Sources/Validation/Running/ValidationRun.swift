import Dispatch
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
            // A base rendered by several overlays, or already checked directly, is reported once.
            var seen = Set(findings.map { "\($0.location) \($0.rule) \($0.schemaPath ?? "")" })
            findings += rendered.findings.filter { seen.insert("\($0.location) \($0.rule) \($0.schemaPath ?? "")").inserted }
            report.notes += rendered.notes
            report.resources += rendered.resources
            report.valid += rendered.valid
            report.invalid += rendered.invalid
        }
        if options.helm {
            let rendered = HelmRenderer(checker: checker, binary: options.helmBinary).render(charts: found.charts)
            findings += rendered.findings
            report.notes += rendered.notes
            report.resources += rendered.resources
            report.valid += rendered.valid
            report.invalid += rendered.invalid
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
