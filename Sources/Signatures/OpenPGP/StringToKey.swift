/// OpenPGP string-to-key specifiers (RFC 4880 §3.7): how a passphrase becomes the key
/// that protects a secret key. Simple, salted and iterated+salted are read.
struct StringToKey: Sendable {
    let type: UInt8
    let hash: HashAlgorithm
    let salt: [UInt8]
    /// Octets to hash for the iterated form.
    let count: Int

    /// GnuPG's "gnu-dummy" extension: the secret part is absent (an offline primary key).
    static let gnuExtension: UInt8 = 101

    init(_ reader: inout ByteReader) throws(SignatureError) {
        type = try reader.byte()
        switch type {
        case 0, 1, 3:
            let id = try reader.byte()
            guard let hash = HashAlgorithm(rawValue: id) else { throw .unsupported("S2K hash algorithm \(id)") }
            self.hash = hash
            salt = type == 0 ? [] : try reader.take(8)
            if type == 3 {
                let coded = Int(try reader.byte())
                count = (16 + (coded & 15)) << ((coded >> 4) + 6)
            } else {
                count = 0
            }
        case Self.gnuExtension:
            throw .unsupported("a GnuPG stub secret key (the secret part is not in this file)")
        default:
            throw .unsupported("S2K type \(type)")
        }
    }

    /// `length` key bytes from `passphrase`: successive contexts preloaded with 0, 1, 2… zero bytes.
    func key(passphrase: [UInt8], length: Int) throws(SignatureError) -> [UInt8] {
        var output: [UInt8] = []
        var preload = 0
        let data = salt + passphrase
        while output.count < length {
            let context = try HashContext(hash)
            if preload > 0 { context.update([UInt8](repeating: 0, count: preload)) }
            if type == 3 {
                var remaining = max(count, data.count)
                while remaining >= data.count {
                    context.update(data)
                    remaining -= data.count
                }
                if remaining > 0 { context.update(data.prefix(remaining)) }
            } else {
                context.update(data)
            }
            output += try context.finish()
            preload += 1
        }
        return Array(output.prefix(length))
    }
}
