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
        String(decoding: bytes.prefix(4096), as: UTF8.self).contains("-----BEGIN PGP ")
    }

    /// Every armored block in `text`, in order.
    public static func decodeAll(_ text: String) throws(SignatureError) -> [Block] {
        var blocks: [Block] = []
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }[...]
        while let start = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN PGP ") && $0.hasSuffix("-----") }) {
            let label = String(lines[start].dropFirst("-----BEGIN ".count).dropLast(5))
            lines = lines[(start + 1)...]
            // Headers ("Key: value") end at the first empty line; RFC 4880 requires that line.
            var index = lines.startIndex
            while index < lines.endIndex, lines[index].contains(": "), !lines[index].hasPrefix("-----") { index += 1 }
            if index < lines.endIndex, lines[index].isEmpty { index += 1 }
            var base64 = ""
            var checksum: String?
            var ended = false
            while index < lines.endIndex {
                let line = lines[index]
                index += 1
                if line == "-----END \(label)-----" { ended = true; break }
                if line.hasPrefix("-----") { throw .armor(reason: "unexpected \(line) inside \(label)") }
                if line.hasPrefix("="), line.count == 5 { checksum = String(line.dropFirst()); continue }
                base64 += line
            }
            guard ended else { throw .armor(reason: "\(label) has no END line") }
            guard let data = Data(base64Encoded: base64) else { throw .armor(reason: "\(label) is not valid base64") }
            let bytes = [UInt8](data)
            if let checksum {
                guard let expected = Data(base64Encoded: checksum), expected.count == 3 else {
                    throw .armor(reason: "\(label) has an unreadable checksum line")
                }
                let crc = crc24(bytes)
                guard [UInt8(crc >> 16 & 0xff), UInt8(crc >> 8 & 0xff), UInt8(crc & 0xff)] == [UInt8](expected) else {
                    throw .armor(reason: "\(label) fails its CRC-24 checksum")
                }
            }
            blocks.append(Block(label: label, bytes: bytes))
            lines = lines[index...]
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

    /// The CRC-24 of RFC 4880 §6.1.
    static func crc24(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xB704CE
        for byte in bytes {
            crc ^= UInt32(byte) << 16
            for _ in 0..<8 {
                crc <<= 1
                if crc & 0x1000000 != 0 { crc ^= 0x1864CFB }
            }
        }
        return crc & 0xFFFFFF
    }
}
