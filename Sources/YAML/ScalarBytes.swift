extension Node {
    /// The decoded scalar value as UTF-8 bytes, without building a `String`; nil for other
    /// kinds. Validation reads millions of scalars and only needs a few of them as text.
    public var scalarUTF8: ArraySlice<UInt8>? {
        let record = file.nodes[Int(id)]
        guard record.kind == .scalar else { return nil }
        let start = Int(record.first)
        return ArraySlice(file.values[start..<start + Int(record.count)])
    }
}
