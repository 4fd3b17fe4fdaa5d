/// One signature subpacket (RFC 4880 §5.2.3.1, RFC 9580 §5.2.3.7).
struct SignatureSubpacket: Sendable {
    enum Kind: UInt8 {
        case creationTime = 2
        case signatureExpiration = 3
        case keyExpiration = 9
        case issuer = 16
        case keyFlags = 27
        case primaryUserID = 25
        case reasonForRevocation = 29
        case embeddedSignature = 32
        case issuerFingerprint = 33
    }

    /// Types whose meaning Capstan knows well enough to accept when marked critical.
    /// Notations (20) and regular expressions (6) are not among them: a critical one fails closed.
    static let understood: Set<UInt8> = [2, 3, 4, 5, 7, 9, 11, 12, 16, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 37, 39]

    let type: UInt8
    let critical: Bool
    let data: [UInt8]

    var kind: Kind? { Kind(rawValue: type) }

    static func parseAll(_ bytes: [UInt8]) throws(SignatureError) -> [SignatureSubpacket] {
        var reader = ByteReader(bytes, what: "signature subpacket")
        var subpackets: [SignatureSubpacket] = []
        while !reader.isAtEnd {
            let first = Int(try reader.byte())
            let length: Int
            if first < 192 {
                length = first
            } else if first < 255 {
                length = (first - 192) << 8 + Int(try reader.byte()) + 192
            } else {
                length = Int(try reader.uint32())
            }
            guard length >= 1 else { throw .malformed(what: "signature subpacket", reason: "zero length at byte \(reader.offset)") }
            let type = try reader.byte()
            let data = try reader.take(length - 1)
            subpackets.append(SignatureSubpacket(type: type & 0x7f, critical: type & 0x80 != 0, data: data))
        }
        return subpackets
    }

    /// A subpacket with its length header, for building signatures.
    var encoded: [UInt8] {
        let length = data.count + 1
        var bytes: [UInt8]
        if length < 192 {
            bytes = [UInt8(length)]
        } else if length < 8384 {
            bytes = [UInt8((length - 192) >> 8 + 192), UInt8((length - 192) & 0xff)]
        } else {
            bytes = [255]
            bytes.appendUInt32(UInt32(length))
        }
        return bytes + [type | (critical ? 0x80 : 0)] + data
    }

    var uint32Value: UInt32? {
        guard data.count == 4 else { return nil }
        return data.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
