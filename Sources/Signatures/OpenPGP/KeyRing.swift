import Foundation

/// The OpenPGP certificates Capstan trusts, indexed by key id for quick lookup of the
/// key that made a signature.
public struct KeyRing: Sendable {
    public private(set) var certificates: [Certificate] = []
    private var index: [[UInt8]: [(certificate: Int, key: OpenPGPKey)]] = [:]
    /// Keys that were skipped while loading, with why (v3 keys, unsupported versions).
    public private(set) var skipped: [String] = []

    public init() {}

    /// Adds every certificate in `bytes` (armored or binary, several per file).
    public mutating func add(_ bytes: [UInt8]) throws(SignatureError) {
        let packets = try PacketParser.packets(fromFile: bytes)
        var builder: CertificateBuilder?
        var skipping = false
        for packet in packets {
            if packet.knownTag == .publicKey || packet.knownTag == .secretKey {
                if let finished = builder?.build() { insert(finished) }
                builder = nil
                do {
                    builder = CertificateBuilder(primary: try PublicKeyPacket(body: packet.body))
                    skipping = false
                } catch {
                    if case .unsupported = error {
                        skipped.append(error.description)
                        skipping = true
                        continue
                    }
                    throw error
                }
            } else if !skipping {
                builder?.add(packet)
            }
        }
        if let finished = builder?.build() { insert(finished) }
    }

    private mutating func insert(_ certificate: Certificate) {
        certificates.append(certificate)
        let position = certificates.count - 1
        for key in [certificate.primary] + certificate.subkeys {
            index[key.packet.keyID, default: []].append((position, key))
        }
    }

    /// Keys whose id is `keyID`, with the certificate each belongs to.
    func keys(withID keyID: [UInt8]) -> [(certificate: Certificate, key: OpenPGPKey)] {
        (index[keyID] ?? []).map { (certificates[$0.certificate], $0.key) }
    }

    public var isEmpty: Bool { certificates.isEmpty }
}
