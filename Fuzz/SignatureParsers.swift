// libFuzzer entry point for the OpenPGP packet, SSHSIG and OpenSSH private key parsers, the
// allowed_signers and key-line readers, and the cutting of whole commit and tag objects
// into payload and signature. Built by scripts/fuzz-signatures together with the Signatures
// module's sources and Git's SignedPayload.swift (so internal parsers are reachable); any
// crash, trap or sanitizer report is a bug.

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
    try? ring.add(bytes) // a second file: certificates merge, loose signatures meet every key

    // SSH: the SSHSIG blob and armor, public key blobs and lines, allowed_signers.
    _ = try? SSHSignature(blob: bytes)
    _ = try? SSHSignature(armored: bytes)
    _ = try? SSHPublicKey(blob: bytes)
    _ = AllowedSigner.parseFile(text, path: "fuzz")
    for line in text.split(separator: "\n").prefix(64) { _ = try? TrustedKeys.sshSigner(String(line)) }
    _ = try? AllowedSignerOptions(parsing: Substring(text))
    _ = try? AllowedSignerOptions.time(text, name: "fuzz")
    _ = TrustedKeys.publishingRevocations(bytes)
    // Private key files, encrypted ones too: few KDF rounds so an input cannot stall the run.
    _ = try? OpenSSHPrivateKey(file: bytes, passphrase: "x", maximumRounds: 2)

    // The whole verifier, as `capstan verify` calls it.
    let verifier = SignatureVerifier(keys: emptyKeys, policy: VerificationPolicy(now: 0))
    _ = verifier.verify(signature: bytes, over: bytes, at: 0)

    // Whole commit and tag objects, cut as git cuts them, then verified as verify does.
    let commit = SignedPayload.commit(bytes)
    if let signature = commit.signature { _ = verifier.verify(signature: signature, over: commit.payload, at: 0) }
    let tag = SignedPayload.tag(bytes)
    if let signature = tag.signature { _ = verifier.verify(signature: signature, over: tag.payload, at: 0) }
    _ = DERSignature.decode(bytes)
    return 0
}
