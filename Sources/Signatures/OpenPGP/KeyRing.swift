import Foundation

/// The OpenPGP certificates Capstan trusts, indexed by key id for quick lookup of the
/// key that made a signature.
///
/// Like GnuPG's keyring, it merges what it is given: every file adds packets to the
/// certificate of their primary key, wherever that key was first read, and a signature
/// that arrives without a key (a revocation certificate, GnuPG's `openpgp-revocs.d/*.rev`)
/// is offered to every certificate. So a revocation counts wherever it sits.
public struct KeyRing: Sendable {
    public private(set) var certificates: [Certificate] = []
    private var index: [[UInt8]: [(certificate: Int, key: OpenPGPKey)]] = [:]
    /// Keys that were skipped while loading, with why (v3 keys, unsupported versions).
    public private(set) var skipped: [String] = []
    /// The packets read for each primary key (by fingerprint), in the order keys were first seen.
    private var runs: [(primary: PublicKeyPacket, packets: [Packet])] = []
    private var runByFingerprint: [[UInt8]: Int] = [:]
    /// Signatures read with no key before them in their file.
    private var looseSignatures: [SignaturePacket] = []

    public init() {}

    /// Adds every certificate and revocation in `bytes` (armored or binary, several per file).
    public mutating func add(_ bytes: [UInt8]) throws(SignatureError) {
        let packets = try PacketParser.packets(fromFile: bytes)
        var current: Int?
        var skipping = false
        var touched: Set<Int> = []
        var newLoose = false
        for packet in packets {
            if packet.knownTag == .publicKey || packet.knownTag == .secretKey {
                do {
                    let primary = try PublicKeyPacket(body: packet.body)
                    let position = runByFingerprint[primary.fingerprint] ?? runs.count
                    if position == runs.count {
                        runs.append((primary, []))
                        runByFingerprint[primary.fingerprint] = position
                    }
                    current = position
                    touched.insert(position)
                    skipping = false
                } catch {
                    if case .unsupported = error {
                        skipped.append(error.description)
                        skipping = true
                        current = nil
                        continue
                    }
                    throw error
                }
            } else if skipping {
                continue
            } else if let current, runs.indices.contains(current) {
                runs[current].packets.append(packet)
            } else if packet.knownTag == .signature, let signature = try? SignaturePacket(body: packet.body) {
                looseSignatures.append(signature)
                newLoose = true
            }
        }
        if newLoose { touched = Set(runs.indices) }
        rebuild(touched)
    }

    /// Builds again the certificates of the runs in `positions`, then the index.
    private mutating func rebuild(_ positions: Set<Int>) {
        for position in positions.sorted() where runs.indices.contains(position) {
            var builder = CertificateBuilder(primary: runs[position].primary)
            for packet in runs[position].packets { builder.add(packet) }
            for signature in looseSignatures { builder.addLoose(signature) }
            let certificate = builder.build()
            if certificates.indices.contains(position) {
                certificates[position] = certificate
            } else {
                certificates.append(certificate)
            }
        }
        index = [:]
        for (position, certificate) in certificates.enumerated() {
            for key in [certificate.primary] + certificate.subkeys {
                index[key.packet.keyID, default: []].append((position, key))
            }
        }
    }

    /// Keys whose id is `keyID`, with the certificate each belongs to.
    func keys(withID keyID: [UInt8]) -> [(certificate: Certificate, key: OpenPGPKey)] {
        (index[keyID] ?? []).compactMap { entry in
            certificates.indices.contains(entry.certificate) ? (certificates[entry.certificate], entry.key) : nil
        }
    }

    public var isEmpty: Bool { certificates.isEmpty }
}
