/// A bounds-checked cursor over untrusted bytes: reading past the end throws
/// `SignatureError.truncated` naming what was being read, never traps.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset: Int
    /// What these bytes are, for error messages ("signature packet").
    let what: String

    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.offset = 0
        self.what = what
    }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset >= bytes.count }

    mutating func byte() throws(SignatureError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(what: what, offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func take(_ count: Int) throws(SignatureError) -> [UInt8] {
        guard count >= 0, count <= remaining else { throw .truncated(what: what, offset: offset) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func skip(_ count: Int) throws(SignatureError) {
        guard count >= 0, count <= remaining else { throw .truncated(what: what, offset: offset) }
        offset += count
    }

    mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }

    mutating func uint16() throws(SignatureError) -> Int {
        let high = try byte(), low = try byte()
        return Int(high) << 8 | Int(low)
    }

    mutating func uint32() throws(SignatureError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 { value = value << 8 | UInt32(try byte()) }
        return value
    }

    /// An OpenPGP multiprecision integer: a bit count, then that many bits, big-endian.
    mutating func mpi() throws(SignatureError) -> [UInt8] {
        let bits = try uint16()
        return try take((bits + 7) / 8)
    }
}

extension Array where Element == UInt8 {
    /// The bytes with leading zeros removed (at least one byte kept).
    var strippingLeadingZeros: [UInt8] {
        let trimmed = drop { $0 == 0 }
        return trimmed.isEmpty ? [0] : Array(trimmed)
    }

    /// The bytes left-padded with zeros to `width` (unchanged when already that long or longer).
    func leftPadded(to width: Int) -> [UInt8] {
        count >= width ? self : [UInt8](repeating: 0, count: width - count) + self
    }

    var hexString: String {
        let digits = [UInt8]("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    mutating func appendUInt32(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)])
    }

    mutating func appendUInt16(_ value: Int) {
        append(contentsOf: [UInt8(value >> 8 & 0xff), UInt8(value & 0xff)])
    }
}
