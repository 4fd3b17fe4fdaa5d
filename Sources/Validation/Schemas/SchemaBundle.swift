import CSchemaBundle

/// The schemas compiled into the binary: every Kubernetes release from 1.25 on, and the
/// GitOps custom resources. Read once per process; bodies are parsed only when a kind
/// that needs them is first validated.
public final class SchemaBundle: Sendable {
    /// One Kubernetes release: definition name → body, and group/version/kind → definition name.
    struct Release: Sendable {
        let version: String
        let draft: String
        let definitions: [String: Int]
        let kinds: [GroupVersionKind: String]
    }

    /// The bundle inside this binary.
    public static let shared: Result<SchemaBundle, SchemaError> = Result { () throws(SchemaError) in try SchemaBundle() }

    let releases: [Release]
    /// CRD schemas by group, version and lower-cased kind (file names carry no case).
    let crds: [GroupVersionKind: Int]
    private let data: [UInt8]
    private let bodyRanges: [Range<Int>]

    private init() throws(SchemaError) {
        let packed = UnsafeBufferPointer(start: capstan_schema_bundle_bytes(), count: capstan_schema_bundle_size)
        data = try Inflater.inflate(packed, expectedSize: capstan_schema_bundle_inflated_size)
        guard data.count > 8, data[0..<4].elementsEqual("CSB1".utf8) else { throw .damagedBundle(reason: "bad magic") }
        let indexLength = Int(data[4]) | Int(data[5]) << 8 | Int(data[6]) << 16 | Int(data[7]) << 24
        let bodiesStart = 8 + indexLength
        let index = try JSONReader.parse(data[8..<bodiesStart], source: "schema bundle index")
        guard let names = index["names"]?.arrayValue?.compactMap(\.stringValue),
              let ranges = index["bodies"]?.arrayValue, let releaseList = index["kubernetes"]?.arrayValue,
              let crdList = index["crds"]?.arrayValue
        else { throw .damagedBundle(reason: "bad index") }
        bodyRanges = ranges.map { pair in
            let offset = Int(pair.arrayValue?.first?.numberValue ?? 0)
            let length = Int(pair.arrayValue?.last?.numberValue ?? 0)
            return bodiesStart + offset..<bodiesStart + offset + length
        }
        releases = releaseList.map { release in
            var definitions: [String: Int] = [:]
            for pair in release["defs"]?.arrayValue ?? [] {
                guard let items = pair.arrayValue, items.count == 2 else { continue }
                definitions[names[Int(items[0].numberValue ?? 0)]] = Int(items[1].numberValue ?? 0)
            }
            var kinds: [GroupVersionKind: String] = [:]
            for entry in release["kinds"]?.arrayValue ?? [] {
                guard let items = entry.arrayValue, items.count == 4 else { continue }
                let key = GroupVersionKind(group: items[0].stringValue ?? "", version: items[1].stringValue ?? "",
                                           kind: items[2].stringValue ?? "")
                kinds[key] = names[Int(items[3].numberValue ?? 0)]
            }
            return Release(version: release["version"]?.stringValue ?? "", draft: release["draft"]?.stringValue ?? "",
                           definitions: definitions, kinds: kinds)
        }
        var crds: [GroupVersionKind: Int] = [:]
        for entry in crdList {
            guard let items = entry.arrayValue, items.count == 4 else { continue }
            crds[GroupVersionKind(group: items[0].stringValue ?? "", version: items[2].stringValue ?? "",
                                  kind: (items[1].stringValue ?? "").lowercased())] = Int(items[3].numberValue ?? 0)
        }
        self.crds = crds
    }

    /// The bundled Kubernetes releases, oldest first, as `1.25.0`.
    public var kubernetesVersions: [String] { releases.map(\.version) }

    /// The release matching `version` (`1.30`, `v1.30.0`, `1.30.2` all pick 1.30.0); nil picks the newest.
    func release(_ version: String?) throws(SchemaError) -> Release {
        guard let version else { return releases[releases.count - 1] }
        var wanted = version.hasPrefix("v") ? String(version.dropFirst()) : version
        let parts = wanted.split(separator: ".")
        if parts.count >= 2 { wanted = "\(parts[0]).\(parts[1]).0" }
        guard let release = releases.first(where: { $0.version == wanted }) else {
            throw .unknownKubernetesVersion(version, available: kubernetesVersions)
        }
        return release
    }

    /// Parses body `index` (a definition or a whole CRD schema).
    func body(_ index: Int) throws(SchemaError) -> JSONValue {
        guard bodyRanges.indices.contains(index) else { throw .damagedBundle(reason: "body \(index) out of range") }
        return try JSONReader.parse(data[bodyRanges[index]], source: "bundled schema")
    }
}
