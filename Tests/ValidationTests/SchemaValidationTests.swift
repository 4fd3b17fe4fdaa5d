import Testing
import Validation

@Suite("Schema validation")
struct SchemaValidationTests {
    @Test("the real-world corpus is valid, strict or not")
    func corpusIsValid() throws {
        for strict in [false, true] {
            let report = try Fixtures.validate("corpus") { $0.strict = strict }
            #expect(report.findings.isEmpty, "\(report.positions)")
            #expect(report.files == 8)
            #expect(report.resources == 21)
            #expect(report.valid == 21)
        }
    }

    @Test("podinfo's deploy tree (a public project's bases and overlays) is valid under --strict")
    func publicCorpusIsValid() throws {
        let report = try Fixtures.validate("public") { $0.strict = true }
        #expect(report.findings.isEmpty, "\(report.positions)")
        #expect(report.resources == 54 && report.valid == 54)
    }

    @Test("podinfo's overlays render with kustomize and the output is valid under --strict",
          .enabled(if: Fixtures.isInstalled("kustomize") || Fixtures.isInstalled("kubectl")))
    func publicOverlaysRender() throws {
        let rendered = try Fixtures.validate("public/podinfo/overlays") {
            $0.strict = true
            $0.kustomize = true
        }
        #expect(rendered.findings.isEmpty, "\(rendered.positions)")
        #expect(rendered.resources > 60)
    }

    @Test("a string where an integer belongs is reported at the value")
    func wrongType() throws {
        let report = try Fixtures.validate("broken/wrong-type.yaml")
        #expect(report.positions == ["broken/wrong-type.yaml:6:13 schema"])
        #expect(report.findings[0].message == "spec.replicas: expected integer, found string \"three\"")
        #expect(report.findings[0].schemaPath == "io.k8s.api.apps.v1.DeploymentSpec/properties/replicas/type")
        #expect(report.invalid == 1)
    }

    @Test("an unknown field passes by default and fails under --strict at its key, with a suggestion")
    func unknownField() throws {
        #expect(try Fixtures.validate("broken/typo-field.yaml").findings.isEmpty)
        let report = try Fixtures.validate("broken/typo-field.yaml") { $0.strict = true }
        #expect(report.positions == ["broken/typo-field.yaml:11:7 schema"])
        #expect(report.findings[0].message == "spec.ports[0].protocl: unknown field \"protocl\" (did you mean \"protocol\"?)")
    }

    @Test("a missing required field is reported at the mapping that lacks it")
    func missingRequired() throws {
        let report = try Fixtures.validate("broken/missing-required.yaml")
        #expect(report.positions == ["broken/missing-required.yaml:7:7 schema"])
        #expect(report.findings[0].message.contains("missing required field \"name\""))
    }

    @Test("an enum of a bundled CRD schema rejects other values")
    func enumValue() throws {
        let report = try Fixtures.validate("broken/enum.yaml")
        #expect(report.positions == ["broken/enum.yaml:10:16 schema"])
        #expect(report.findings[0].message.contains("is not one of \"RSA\", \"ECDSA\", \"Ed25519\""))
    }

    @Test("a plain yes is a boolean, as Kubernetes reads it, so a string field rejects it")
    func yesIsBoolean() throws {
        let report = try Fixtures.validate("broken/yes-is-bool.yaml")
        #expect(report.positions == ["broken/yes-is-bool.yaml:7:11 schema"])
    }

    @Test("int-or-string accepts neither booleans nor fractions")
    func intOrString() throws {
        let report = try Fixtures.validate("broken/int-or-string.yaml")
        #expect(report.positions == ["broken/int-or-string.yaml:8:19 schema"])
        #expect(report.findings[0].message == "spec.ports[0].targetPort: expected string or integer, found boolean true")
    }

    @Test("duplicate keys are an error only under --strict")
    func duplicateKeys() throws {
        #expect(try Fixtures.validate("broken/duplicate-key.yaml").findings.isEmpty)
        let report = try Fixtures.validate("broken/duplicate-key.yaml") { $0.strict = true }
        #expect(report.positions == ["broken/duplicate-key.yaml:7:5 duplicate-key"])
        #expect(report.invalid == 1)
    }

    @Test("an unknown kind in a built-in group/version is an error with the closest kind; other groups only warn")
    func unknownKind() throws {
        let report = try Fixtures.validate("broken/unknown-kind.yaml")
        #expect(report.positions == ["broken/unknown-kind.yaml:2:7 unknown-kind", "broken/unknown-kind.yaml:7:7 unknown-kind",
                                     "broken/unknown-kind.yaml:12:7 unknown-kind", "broken/unknown-kind.yaml:17:1 schema-missing"])
        let messages = report.findings.map(\.message)
        #expect(messages.first == "Kubernetes \(report.kubernetesVersion) serves no kind Deploymnet under apps/v1 (did you mean Deployment?)")
        #expect(messages.dropFirst().first?.hasSuffix("serves no kind Configmap under v1 (did you mean ConfigMap?)") == true)
        #expect(messages.dropFirst(2).first?.hasSuffix("serves no kind Frobnicator under apps/v1") == true)
        #expect(report.errors == 3 && report.warnings == 1)
        #expect(report.invalid == 3)
    }

    @Test("YAML that does not parse is reported where libyaml stopped")
    func syntaxError() throws {
        let report = try Fixtures.validate("broken/syntax.yaml")
        #expect(report.positions == ["broken/syntax.yaml:7:1 yaml-syntax"])
    }

    @Test("nesting deeper than the limit is reported once at its place; the message does not repeat file:line:column")
    func tooDeep() throws {
        let report = try Fixtures.validate("broken/too-deep.yaml")
        #expect(report.positions == ["broken/too-deep.yaml:6:516 yaml-syntax"])
        #expect(report.findings.first?.message == "collections nested more than 512 levels deep")
        let text = report.findings.first?.text ?? ""
        #expect(text.components(separatedBy: "too-deep.yaml").count == 2, "\(text)")
    }

    @Test("a document without kind in a Kubernetes file is reported; its neighbour is still validated")
    func missingKind() throws {
        let report = try Fixtures.validate("broken/no-kind.yaml")
        #expect(report.positions == ["broken/no-kind.yaml:6:1 not-a-resource"])
        #expect(report.valid == 1)
    }

    @Test("an alias bomb is refused at the document instead of being expanded")
    func aliasBomb() throws {
        let report = try Fixtures.validate("broken/alias-bomb.yaml") { $0.strict = true }
        #expect(report.positions == ["broken/alias-bomb.yaml:1:1 yaml-syntax"])
        #expect(report.findings[0].message.hasPrefix("document contains excessive aliasing"))
    }

    @Test("List items, empty documents and comment-only documents are handled")
    func listsAndEmptyDocuments() throws {
        let report = try Fixtures.validate("corpus/list.yaml")
        #expect(report.findings.isEmpty)
        #expect(report.resources == 2)
    }

    @Test("--kubernetes-version picks a bundled release and rejects unknown ones")
    func kubernetesVersion() throws {
        let report = try Fixtures.validate("corpus/ingress.yaml") { $0.kubernetesVersion = "1.25" }
        #expect(report.kubernetesVersion == "1.25.0")
        #expect(report.findings.isEmpty)
        #expect(throws: ValidationFailure.self) { try Fixtures.validate("corpus/ingress.yaml") { $0.kubernetesVersion = "1.12" } }
    }

    @Test("every bundled release validates the corpus")
    func everyRelease() throws {
        for minor in 25...37 {
            let report = try Fixtures.validate("corpus/web-deployment.yaml") { $0.kubernetesVersion = "1.\(minor)" }
            #expect(report.findings.isEmpty, "1.\(minor): \(report.positions)")
        }
    }
}

@Suite("Scalar typing")
struct ScalarTypingTests {
    @Test("hex, octal, exponent, underscores, signs, 08 and 80.0 are integers")
    func integers() throws {
        #expect(try Fixtures.validate("scalars/ports.yaml").findings.isEmpty)
    }

    @Test("sexagesimal, dates and timestamps stay strings; numbers, on and .5 do not")
    func strings() throws {
        let report = try Fixtures.validate("scalars/strings.yaml")
        #expect(report.positions == ["scalars/strings.yaml:13:11 schema", "scalars/strings.yaml:14:11 schema", "scalars/strings.yaml:15:13 schema"])
    }

    @Test(".inf is refused wherever it appears, as Kubernetes cannot turn it into JSON")
    func infinity() throws {
        let report = try Fixtures.validate("scalars/infinity.yaml")
        #expect(report.positions == ["scalars/infinity.yaml:7:15 schema"])
        #expect(report.findings[0].message == "metadata.labels.a: .inf is not a JSON number; Kubernetes rejects .inf and .nan")
    }
}
