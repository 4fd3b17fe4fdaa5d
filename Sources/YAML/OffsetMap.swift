/// Turns libyaml's marks, which count characters, into byte offsets in the original
/// bytes. ASCII files (almost every manifest) map one to one; others keep a byte offset
/// every 64 characters and walk at most 63 characters from there.
struct OffsetMap {
    /// Bytes skipped before libyaml's input (a UTF-8 byte order mark).
    let prefix: Int
    private let checkpoints: [Int32]?
    private static let stride = 64

    init(_ bytes: UnsafeBufferPointer<UInt8>, prefix: Int) {
        self.prefix = prefix
        if Self.isASCII(bytes) {
            checkpoints = nil
            return
        }
        var marks: [Int32] = []
        marks.reserveCapacity(bytes.count / Self.stride + 1)
        var characters = 0
        for offset in 0..<bytes.count where bytes[offset] & 0xC0 != 0x80 {
            if characters % Self.stride == 0 { marks.append(Int32(offset)) }
            characters += 1
        }
        checkpoints = marks
    }

    /// The byte offset (in the whole file) of character `index` of libyaml's input.
    func byteOffset(ofCharacter index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let checkpoints else { return prefix + index }
        let slot = index / Self.stride
        guard slot < checkpoints.count else { return prefix + bytes.count }
        var offset = Int(checkpoints[slot])
        var remaining = index - slot * Self.stride
        while remaining > 0, offset < bytes.count {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            remaining -= 1
        }
        return prefix + offset
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        let raw = UnsafeRawPointer(base)
        while index + 8 <= count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < count {
            if bytes[index] & 0x80 != 0 { return false }
            index += 1
        }
        return true
    }
}
