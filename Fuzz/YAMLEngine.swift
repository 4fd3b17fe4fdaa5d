// libFuzzer entry point for the YAML engine: parse arbitrary bytes with tight limits, walk
// every document, read every scalar's comments, and where the input parses, replace the
// first scalar and check the edit reads back (applying() re-parses). Built by
// scripts/fuzz-yaml together with the YAML module's sources; any crash, trap or sanitizer
// report is a bug.

private let limits = YAMLLimits(maxBytes: 1 << 20, maxDepth: 64, maxNodes: 100_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func yamlEngineFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? YAMLFile.parse(bytes, path: "fuzz.yaml", limits: limits) else { return 0 }
    _ = file.scalarsWithLineComments()
    var firstScalar: Node?
    for document in file.documents {
        var pending = [document.root]
        while let node = pending.popLast() {
            _ = node.location
            _ = node.pathDescription
            switch node.kind {
            case .scalar:
                _ = node.scalarType
                if firstScalar == nil, node.parent != nil { firstScalar = node }
            case .mapping:
                for (key, value) in node.entries {
                    _ = node[key.string ?? ""]
                    pending.append(value)
                }
            case .sequence:
                pending.append(contentsOf: node.items)
            case .alias:
                _ = node.resolved
            }
        }
    }
    if let scalar = firstScalar {
        for value in ["1.10", "a: b", "", "x\ny", "plain"] {
            if let splice = try? scalar.replacing(with: value) { _ = try? file.applying([splice]) }
        }
        if let parent = scalar.parent, parent.isMapping,
           let splice = try? parent.insertingEntry(keys: ["fuzz", "key"], renderedValue: Array("\"v\"".utf8), expected: ("v", .string)) {
            _ = try? file.applying([splice])
        }
    }
    return 0
}
