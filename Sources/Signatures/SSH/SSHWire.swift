/// The SSH wire encoding (RFC 4251 §5): big-endian uint32 lengths before strings and mpints.
struct SSHWireReader {
    private var reader: ByteReader

    init(_ bytes: [UInt8], what: String) {
        reader = ByteReader(bytes, what: what)
    }

    var isAtEnd: Bool { reader.isAtEnd }

    mutating func uint32() throws(SignatureError) -> UInt32 { try reader.uint32() }

    mutating func string() throws(SignatureError) -> [UInt8] {
        let length = Int(try reader.uint32())
        return try reader.take(length)
    }

    mutating func text() throws(SignatureError) -> String {
        String(decoding: try string(), as: UTF8.self)
    }

    /// An mpint as an unsigned big-endian integer (the sign byte dropped).
    mutating func mpint() throws(SignatureError) -> [UInt8] {
        try string().strippingLeadingZeros
    }

    mutating func raw(_ count: Int) throws(SignatureError) -> [UInt8] { try reader.take(count) }
    mutating func rest() -> [UInt8] { reader.rest() }
}

/// Builds SSH wire encodings.
struct SSHWireWriter {
    private(set) var bytes: [UInt8] = []

    mutating func uint32(_ value: UInt32) { bytes.appendUInt32(value) }

    mutating func string(_ value: [UInt8]) {
        bytes.appendUInt32(UInt32(value.count))
        bytes += value
    }

    mutating func string(_ value: String) { string(Array(value.utf8)) }

    /// An unsigned integer as an mpint (a zero byte added when the top bit is set).
    mutating func mpint(_ value: [UInt8]) {
        var trimmed = value.strippingLeadingZeros
        if trimmed == [0] { trimmed = [] }
        if let first = trimmed.first, first & 0x80 != 0 { trimmed.insert(0, at: 0) }
        string(trimmed)
    }

    mutating func raw(_ value: [UInt8]) { bytes += value }
}
