// libFuzzer entry point for the OpenPGP packet, SSHSIG and OpenSSH private key parsers. Built by
// scripts/fuzz-signatures together with the Signatures module's sources (so internal
// parsers are reachable); any crash, trap or sanitizer report is a bug.

/// The fuzzer's view of a key ring: the web-flow key is not needed; an empty ring still
/// drives signature parsing all the way to the issuer lookup.
private let emptyKeys = TrustedKeys()

@_cdecl("LLVMFuzzerTestOneInput")
public func signatureParsersFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)

    // OpenPGP: packets, then every packet as a key and as a signature, then a key ring.
    if let packets = try? PacketParser.packets(bytes) {
        for packet in packets {
            if let signature = try? SignaturePacket(body: packet.body) {
                _ = signature.issuerKeyID
                _ = signature.unknownCriticalSubpacket
                _ = signature.embeddedSignatures
            }
            _ = try? PublicKeyPacket(body: packet.body)
            _ = try? SecretKeyPacket(body: packet.body).secretValues(passphrase: "x")
        }
    }
    _ = try? Armor.decodeAll(text)
    var ring = KeyRing()
    try? ring.add(bytes)

    // SSH: the SSHSIG blob and armor, public key blobs and lines, allowed_signers.
    _ = try? SSHSignature(blob: bytes)
    _ = try? SSHSignature(armored: bytes)
    _ = try? SSHPublicKey(blob: bytes)
    _ = AllowedSigner.parseFile(text, path: "fuzz")
    // Private key files, encrypted ones too: few KDF rounds so an input cannot stall the run.
    _ = try? OpenSSHPrivateKey(file: bytes, passphrase: "x", maximumRounds: 2)

    // The whole verifier, as `capstan verify` calls it.
    let verifier = SignatureVerifier(keys: emptyKeys, policy: VerificationPolicy(now: 0))
    _ = verifier.verify(signature: bytes, over: bytes, at: 0)
    _ = DERSignature.decode(bytes)
    return 0
}
