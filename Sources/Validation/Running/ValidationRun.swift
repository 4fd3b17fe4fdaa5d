import Foundation
import YAML

/// Validates a tree: discovers files, registers CRDs, checks every resource against its
/// schema and the per-resource rules on all cores, then runs the cross-file rules and,
/// when asked, renders kustomizations and charts.
public struct ValidationRun: Sendable {
    public let options: ValidationOptions

    public init(options: ValidationOptions) {
        self.options = options
    }

    private var workers: Int { max(1, options.concurrency ?? ProcessInfo.processInfo.activeProcessorCount) }

    /// Runs; `progress` is called now and then with (files done, files total).
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws(ValidationFailure) -> ValidationReport {
        let registry: SchemaRegistry
        do {
            registry = try SchemaRegistry(kubernetesVersion: options.kubernetesVersion, strict: options.strict,
                                          schemaDirectories: options.schemaDirectories)
        } catch {
            throw .schema(error)
        }
        let renderers = try findRenderers()
        let (found, inputs) = try gatherInputs()
        try registerCRDFiles(in: registry)
        // CRDs in the tree must be known before any resource is validated.
        var findings = registerTreeDefinitions(inputs, in: registry)
        findings += found.undecodableNames.map { name in
            Finding(at: SourceLocation(file: name, line: 1, column: 1), rule: .yamlSyntax,
                    message: "the name is not UTF-8, so it cannot be read or reported; rename it")
        }

        let minor = Int(registry.kubernetesVersion.split(separator: ".").dropFirst().first ?? "") ?? 99
        let checker = FileChecker(registry: registry, options: options, kubernetesMinor: minor,
                                  patchFiles: KustomizationReferences.patchFiles(among: found.files), namedFiles: found.named)
        let results = check(inputs, with: checker, progress: progress)

        var report = ValidationReport()
        report.kubernetesVersion = registry.kubernetesVersion
        var facts = TreeFacts()
        for result in results {
            if result.skipped {
                report.skippedFiles += 1
                continue
            }
            report.files += 1
            report.checkedFiles.append(result.path)
            report.resources += result.resources
            report.valid += result.valid
            report.invalid += result.invalid
            report.skipped += result.skippedResources
            findings += result.findings
            facts.merge(result.facts)
        }
        findings += TreeRules(facts: facts, explicitRoot: options.repositoryRoot, fallbackRoot: Self.defaultRoot(options.paths),
                              configuredURLs: options.repositoryURLs).check()

        if options.kustomize {
            let rendered = KustomizeRenderer(checker: checker, tool: renderers.kustomize)
                .render(found.files.filter(KustomizationReferences.isKustomizationFile))
            add(rendered, to: &report, findings: &findings)
        }
        if options.helm {
            add(HelmRenderer(checker: checker, binary: renderers.helm).render(charts: found.charts), to: &report, findings: &findings)
        }
        var rules = options.rules
        if options.strict { rules.enabled.insert(.duplicateKey) }
        report.findings = findings.compactMap(rules.apply).sorted(by: Self.order)
        return report
    }

    /// The renderers --kustomize and --helm need, found before any work: a rendering gate
    /// whose tool is missing fails (exit 2) unless --render-optional says rendering may be skipped.
    private func findRenderers() throws(ValidationFailure) -> (kustomize: [String]?, helm: String?) {
        let kustomize = options.kustomize ? KustomizeRenderer.tool() : nil
        if options.kustomize, kustomize == nil, !options.renderOptional {
            throw .missingRenderer(flag: "--kustomize", needs: "kustomize or kubectl on PATH",
                                   install: "install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) or kubectl")
        }
        var helm: String?
        if options.helm {
            if let binary = options.helmBinary {
                guard FileManager.default.isExecutableFile(atPath: binary) else {
                    if options.renderOptional { return (kustomize, nil) }
                    throw .missingRenderer(flag: "--helm", needs: "helm at \(binary) (--helm-binary)",
                                           install: "point --helm-binary at an executable helm")
                }
                helm = binary
            } else {
                helm = ExternalTool.find("helm")
            }
            if helm == nil, !options.renderOptional {
                throw .missingRenderer(flag: "--helm", needs: "helm on PATH",
                                       install: "install helm 3 (https://helm.sh/docs/intro/install/) or point --helm-binary at it")
            }
        }
        return (kustomize, helm)
    }

    /// The files to read (and standard input for `-`); a path that does not exist is a usage error.
    private func gatherInputs() throws(ValidationFailure) -> (FileDiscovery.Result, [FileInput]) {
        for path in options.paths where path != "-" && !FileManager.default.fileExists(atPath: path) {
            throw .unreadableInput(path: path, reason: "no such file or directory")
        }
        var discovery = FileDiscovery()
        discovery.include = options.include.map(Glob.init)
        discovery.exclude = options.exclude.map(Glob.init)
        let found = discovery.discover(options.paths.filter { $0 != "-" })
        var inputs = found.files.map { FileInput.disk($0) }
        if options.paths.contains("-") {
            inputs.append(.memory(path: "<stdin>", bytes: [UInt8](FileHandle.standardInput.readDataToEndOfFile())))
        }
        return (found, inputs)
    }

    /// `--crd` files: any problem with them is a usage error, not a finding.
    private func registerCRDFiles(in registry: SchemaRegistry) throws(ValidationFailure) {
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
                throw .unreadableInput(path: error.place, reason: error.reason)
            } catch let error as SchemaError {
                throw .schema(error)
            } catch {
                throw .unreadableInput(path: file, reason: "\(error)")
            }
        }
    }

    /// CustomResourceDefinitions in the validated files; only files that mention the word
    /// (found in parallel) are parsed here.
    private func registerTreeDefinitions(_ inputs: [FileInput], in registry: SchemaRegistry) -> [Finding] {
        let mentions = ResultSlots<Bool>(count: inputs.count)
        Parallel.forEachChunk(count: inputs.count, workers: workers) { range in
            for position in range { mentions.set(position, inputs[position].mayHoldDefinition) }
        }
        var findings: [Finding] = []
        for (position, flag) in mentions.values.enumerated() where flag == true {
            guard let bytes = try? inputs[position].read(), let parsed = try? YAMLFile.parse(bytes, path: inputs[position].path) else { continue }
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
        }
        return findings
    }

    private func check(_ inputs: [FileInput], with checker: FileChecker,
                       progress: (@Sendable (Int, Int) -> Void)?) -> [FileChecker.Result] {
        let slots = ResultSlots<FileChecker.Result>(count: inputs.count)
        let counter = ProgressCounter(total: inputs.count, report: progress)
        Parallel.forEachChunk(count: inputs.count, workers: workers) { range in
            for position in range { slots.set(position, checker.check(inputs[position])) }
            counter.advance(by: range.count)
        }
        return slots.values.compactMap { $0 }
    }

    /// Adds rendered resources; a base rendered by several overlays, or already checked
    /// directly, is reported once.
    private func add(_ rendered: RenderOutcome, to report: inout ValidationReport, findings: inout [Finding]) {
        var seen = Set(findings.map { "\($0.location) \($0.rule) \($0.schemaPath ?? "")" })
        findings += rendered.findings.filter { seen.insert("\($0.location) \($0.rule) \($0.schemaPath ?? "")").inserted }
        report.notes += rendered.notes
        report.resources += rendered.resources
        report.valid += rendered.valid
        report.invalid += rendered.invalid
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
}
