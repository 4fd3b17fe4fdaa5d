/// One OpenPGP packet: its tag and body, with where it started for error messages.
struct Packet: Sendable {
    enum Tag: UInt8 {
        case signature = 2
        case secretKey = 5
        case publicKey = 6
        case secretSubkey = 7
        case trust = 12
        case userID = 13
        case publicSubkey = 14
        case userAttribute = 17
    }

    let tag: UInt8
    let body: [UInt8]
    let offset: Int

    var knownTag: Tag? { Tag(rawValue: tag) }
}

/// Splits binary OpenPGP data into packets (RFC 4880 §4.2, RFC 9580 §4.2): old and new
/// headers, one-, two-, five-octet and partial body lengths. Lengths that run past the end
/// of the data, indeterminate lengths not at the end, and empty partial chains are errors.
enum PacketParser {
    /// No legitimate key, signature or key ring packet Capstan reads is this large.
    static let maximumPacketLength = 64 << 20

    static func packets(_ data: [UInt8]) throws(SignatureError) -> [Packet] {
        var reader = ByteReader(data, what: "OpenPGP packet header")
        var packets: [Packet] = []
        while !reader.isAtEnd {
            let start = reader.offset
            let header = try reader.byte()
            guard header & 0x80 != 0 else {
                throw .malformed(what: "OpenPGP data", reason: "byte \(start) is not a packet header (0x\([header].hexString))")
            }
            if header & 0x40 == 0 {
                let tag = (header >> 2) & 0x0f
                let length: Int
                switch header & 3 {
                case 0: length = Int(try reader.byte())
                case 1: length = try reader.uint16()
                case 2: length = Int(try reader.uint32())
                default: length = reader.remaining
                }
                packets.append(Packet(tag: tag, body: try body(&reader, length: length, start: start), offset: start))
            } else {
                let tag = header & 0x3f
                var collected: [UInt8] = []
                while true {
                    let first = try reader.byte()
                    if first < 192 {
                        collected += try body(&reader, length: Int(first), start: start)
                        break
                    } else if first < 224 {
                        let second = try reader.byte()
                        collected += try body(&reader, length: (Int(first) - 192) << 8 + Int(second) + 192, start: start)
                        break
                    } else if first == 255 {
                        collected += try body(&reader, length: Int(try reader.uint32()), start: start)
                        break
                    } else {
                        collected += try body(&reader, length: 1 << Int(first & 0x1f), start: start)
                        guard collected.count <= maximumPacketLength else {
                            throw .malformed(what: "OpenPGP packet at byte \(start)", reason: "longer than \(maximumPacketLength) bytes")
                        }
                    }
                }
                packets.append(Packet(tag: tag, body: collected, offset: start))
            }
        }
        return packets
    }

    private static func body(_ reader: inout ByteReader, length: Int, start: Int) throws(SignatureError) -> [UInt8] {
        guard length <= maximumPacketLength else {
            throw .malformed(what: "OpenPGP packet at byte \(start)", reason: "declared length \(length) is too large")
        }
        guard length <= reader.remaining else {
            throw .truncated(what: "OpenPGP packet starting at byte \(start) (declares \(length) bytes, \(reader.remaining) left)", offset: reader.offset)
        }
        return try reader.take(length)
    }

    /// A new-format header for a packet of `tag` with `length` body bytes.
    static func header(tag: UInt8, length: Int) -> [UInt8] {
        var bytes: [UInt8] = [0xc0 | tag]
        if length < 192 {
            bytes.append(UInt8(length))
        } else if length < 8384 {
            let value = length - 192
            bytes += [UInt8(value >> 8 + 192), UInt8(value & 0xff)]
        } else {
            bytes.append(255)
            bytes.appendUInt32(UInt32(length))
        }
        return bytes
    }

    /// Binary packets from armored or binary input.
    static func packets(fromFile bytes: [UInt8]) throws(SignatureError) -> [Packet] {
        if Armor.isArmored(bytes) {
            var all: [Packet] = []
            for block in try Armor.decodeAll(bytes: bytes) { all += try packets(block.bytes) }
            return all
        }
        return try packets(bytes)
    }
}
