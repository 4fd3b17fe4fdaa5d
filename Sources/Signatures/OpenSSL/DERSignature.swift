/// The DER `SEQUENCE { INTEGER r, INTEGER s }` OpenSSL uses for DSA and ECDSA signatures,
/// converted from and to the bare (r, s) pairs OpenPGP and SSH carry.
enum DERSignature {
    static func encode(r: [UInt8], s: [UInt8]) -> [UInt8] {
        let body = integer(r) + integer(s)
        return [0x30] + length(body.count) + body
    }

    /// (r, s) as unsigned big-endian integers, or nil when `der` is not that shape.
    static func decode(_ der: [UInt8]) -> (r: [UInt8], s: [UInt8])? {
        var reader = ByteReader(der, what: "DER signature")
        guard (try? reader.byte()) == 0x30, let total = readLength(&reader), total == reader.remaining else { return nil }
        guard let r = readInteger(&reader), let s = readInteger(&reader), reader.isAtEnd else { return nil }
        return (r, s)
    }

    private static func integer(_ value: [UInt8]) -> [UInt8] {
        var bytes = value.strippingLeadingZeros
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return [0x02] + length(bytes.count) + bytes
    }

    private static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        if count < 0x100 { return [0x81, UInt8(count)] }
        return [0x82, UInt8(count >> 8), UInt8(count & 0xff)]
    }

    private static func readLength(_ reader: inout ByteReader) -> Int? {
        guard let first = try? reader.byte() else { return nil }
        if first < 0x80 { return Int(first) }
        let count = Int(first & 0x7f)
        guard count >= 1, count <= 2, let bytes = try? reader.take(count) else { return nil }
        return bytes.reduce(0) { $0 << 8 | Int($1) }
    }

    private static func readInteger(_ reader: inout ByteReader) -> [UInt8]? {
        guard (try? reader.byte()) == 0x02, let count = readLength(&reader), let bytes = try? reader.take(count) else { return nil }
        return bytes.strippingLeadingZeros
    }
}
