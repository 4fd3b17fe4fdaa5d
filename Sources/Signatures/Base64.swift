/// Strict base64 (RFC 4648) over bytes, skipping whitespace. Armor decoding sits on the
/// hot path of verifying thousands of commits, so it avoids String and Foundation.
enum Base64 {
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (index, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(index)
        }
        return table
    }()

    /// The decoded bytes, or nil for a character outside the alphabet, misplaced padding or a bad length.
    static func decode<Bytes: Collection>(_ text: Bytes) -> [UInt8]? where Bytes.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var count = 0
        var padding = 0
        for character in text {
            switch character {
            case 0x20, 0x09, 0x0a, 0x0d: continue
            case 0x3d:
                padding += 1
                continue
            default:
                guard padding == 0 else { return nil }
                let value = table[Int(character)]
                guard value != 0xff else { return nil }
                accumulator = accumulator << 6 | UInt32(value)
                count += 1
                if count == 4 {
                    output += [UInt8(accumulator >> 16 & 0xff), UInt8(accumulator >> 8 & 0xff), UInt8(accumulator & 0xff)]
                    accumulator = 0
                    count = 0
                }
            }
        }
        switch (count, padding) {
        case (0, 0): break
        case (2, 2), (2, 0): output.append(UInt8(accumulator >> 4 & 0xff))
        case (3, 1), (3, 0): output += [UInt8(accumulator >> 10 & 0xff), UInt8(accumulator >> 2 & 0xff)]
        default: return nil
        }
        return output
    }
}

extension Array where Element == UInt8 {
    /// The first index at which `needle` occurs, searching from `start`.
    func firstIndex(of needle: [UInt8], from start: Int = 0) -> Int? {
        guard !needle.isEmpty, count >= needle.count else { return nil }
        var index = Swift.max(start, 0)
        let last = count - needle.count
        while index <= last {
            if self[index] == needle[0] {
                var matched = true
                for offset in 1..<needle.count where self[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    func contains(bytes needle: [UInt8], within limit: Int) -> Bool {
        Array(prefix(limit)).firstIndex(of: needle) != nil
    }
}
