import Foundation

/// OpenPGP ASCII armor (RFC 4880 §6, RFC 9580 §6.2): `-----BEGIN PGP …-----`, optional
/// headers, base64, an optional `=` CRC-24 line that must match when present.
public enum Armor {
    /// One decoded armored block.
    public struct Block: Sendable, Equatable {
        /// The label, e.g. "PGP SIGNATURE", "PGP PUBLIC KEY BLOCK".
        public let label: String
        public let bytes: [UInt8]
    }

    /// True when `bytes` look like armored text rather than binary packets.
    public static func isArmored(_ bytes: [UInt8]) -> Bool {
        bytes.contains(bytes: Array("-----BEGIN PGP ".utf8), within: 4096)
    }

    /// Every armored block in `text`, in order.
    public static func decodeAll(_ text: String) throws(SignatureError) -> [Block] {
        try decodeAll(bytes: Array(text.utf8))
    }

    private static let beginPrefix = Array("-----BEGIN ".utf8)
    private static let dashes = Array("-----".utf8)

    /// Every armored block in `bytes`, in order. Lines are trimmed of spaces, tabs and CR.
    static func decodeAll(bytes: [UInt8]) throws(SignatureError) -> [Block] {
        var blocks: [Block] = []
        var lines = ArmorLines(bytes)
        while let line = lines.next() {
            guard line.starts(with: beginPrefix + Array("PGP ".utf8)), line.count > beginPrefix.count + 5, line.suffix(5).elementsEqual(dashes) else { continue }
            let labelBytes = Array(line.dropFirst(beginPrefix.count).dropLast(5))
            let label = String(decoding: labelBytes, as: UTF8.self)
            let endLine = Array("-----END ".utf8) + labelBytes + dashes
            // Headers ("Key: value") end at the first empty line; RFC 4880 requires that line.
            var pending = lines.next()
            while let header = pending, Array(header).firstIndex(of: Array(": ".utf8)) != nil, !header.starts(with: dashes) {
                pending = lines.next()
            }
            if let blank = pending, blank.isEmpty { pending = lines.next() }
            var base64: [UInt8] = []
            var checksum: [UInt8]?
            var ended = false
            while let current = pending {
                if current.elementsEqual(endLine) { ended = true; break }
                if current.starts(with: dashes) { throw .armor(reason: "unexpected \(String(decoding: current, as: UTF8.self)) inside \(label)") }
                if current.first == 0x3d, current.count == 5 {
                    checksum = Array(current.dropFirst())
                } else {
                    base64 += current
                }
                pending = lines.next()
            }
            guard ended else { throw .armor(reason: "\(label) has no END line") }
            guard let decoded = Base64.decode(base64) else { throw .armor(reason: "\(label) is not valid base64") }
            if let checksum {
                guard let expected = Base64.decode(checksum), expected.count == 3 else {
                    throw .armor(reason: "\(label) has an unreadable checksum line")
                }
                let crc = crc24(decoded)
                guard [UInt8(crc >> 16 & 0xff), UInt8(crc >> 8 & 0xff), UInt8(crc & 0xff)] == expected else {
                    throw .armor(reason: "\(label) fails its CRC-24 checksum")
                }
            }
            blocks.append(Block(label: label, bytes: decoded))
        }
        return blocks
    }

    /// The one block labelled `label` in `text`.
    public static func decode(_ text: String, label: String) throws(SignatureError) -> [UInt8] {
        let blocks = try decodeAll(text)
        guard let block = blocks.first(where: { $0.label == label }) else { throw .armor(reason: "no \(label) block") }
        return block.bytes
    }

    /// Armors `bytes` under `label`, with a CRC-24 line (git and GnuPG 2.2 expect one).
    public static func encode(_ bytes: [UInt8], label: String) -> String {
        let base64 = Data(bytes).base64EncodedString()
        var text = "-----BEGIN \(label)-----\n\n"
        var rest = Substring(base64)
        while !rest.isEmpty {
            text += rest.prefix(64) + "\n"
            rest = rest.dropFirst(64)
        }
        let crc = crc24(bytes)
        text += "=" + Data([UInt8(crc >> 16 & 0xff), UInt8(crc >> 8 & 0xff), UInt8(crc & 0xff)]).base64EncodedString() + "\n"
        text += "-----END \(label)-----\n"
        return text
    }

    /// The CRC-24 of RFC 4880 §6.1, a byte at a time through a table.
    static func crc24(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xB704CE
        for byte in bytes {
            crc = (crc << 8 ^ crcTable[Int((crc >> 16 ^ UInt32(byte)) & 0xff)]) & 0xFFFFFF
        }
        return crc
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index) << 16
        for _ in 0..<8 {
            crc <<= 1
            if crc & 0x1000000 != 0 { crc ^= 0x1864CFB }
        }
        return crc & 0xFFFFFF
    }
}

/// Lines of armored text as byte slices, trimmed of spaces, tabs and carriage returns.
struct ArmorLines {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> ArraySlice<UInt8>? {
        guard position < bytes.count else { return nil }
        var end = position
        while end < bytes.count, bytes[end] != 0x0a { end += 1 }
        var start = position
        position = end + 1
        var stop = end
        while start < stop, bytes[start] == 0x20 || bytes[start] == 0x09 || bytes[start] == 0x0d { start += 1 }
        while stop > start, bytes[stop - 1] == 0x20 || bytes[stop - 1] == 0x09 || bytes[stop - 1] == 0x0d { stop -= 1 }
        return bytes[start..<stop]
    }
}
