import Foundation
import Testing
@testable import Signatures

/// Malformed armor, truncated packets, huge lengths and wrong checksums end in verdicts
/// or typed errors, never in a crash.
@Suite struct HostileInputTests {
    static func sampleSignature() throws -> (armored: String, data: [UInt8], keys: TrustedKeys) {
        let lab = try SigningLab.get()
        let raw = try Shell(directory: lab.repository).must(["git", "cat-file", "commit", lab.case("rsa2048").commit])
        let start = raw.range(of: "gpgsig ")!.upperBound
        let end = raw.range(of: "-----END PGP SIGNATURE-----")!.upperBound
        let armored = raw[start..<end].replacingOccurrences(of: "\n ", with: "\n") + "\n"
        var keys = TrustedKeys()
        try keys.load(path: lab.keys + "/rsa2048.asc")
        return (armored, [], keys)
    }

    func verdict(_ signature: String) throws -> Verdict {
        let keys = try Self.sampleSignature().keys
        return SignatureVerifier(keys: keys, policy: VerificationPolicy()).verify(signature: Array(signature.utf8), over: Array("x".utf8), at: nil)
    }

    @Test func wrongArmorChecksumIsBad() throws {
        let armored = try Self.sampleSignature().armored
        let lines = armored.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let damaged = lines.map { $0.hasPrefix("=") && $0.count == 5 ? "=AAAA" : $0 }.joined(separator: "\n")
        let verdict = try verdict(damaged)
        #expect(verdict.status == .bad)
        #expect(verdict.reason.contains("CRC-24"))
    }

    @Test func truncatedArmorIsBad() throws {
        let armored = try Self.sampleSignature().armored
        #expect(try verdict(String(armored.prefix(armored.count / 2))).status == .bad)
    }

    @Test("every truncation of a signature packet is an error, not a crash")
    func everyTruncationFails() throws {
        let packet = try Armor.decode(try Self.sampleSignature().armored, label: "PGP SIGNATURE")
        for length in 1..<packet.count {
            #expect(throws: SignatureError.self) {
                let packets = try PacketParser.packets(Array(packet.prefix(length)))
                _ = try SignaturePacket(body: try #require(packets.first).body)
            }
        }
    }

    @Test func hugeDeclaredLengthIsAnError() {
        let header: [UInt8] = [0xc2, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x04]
        #expect(throws: SignatureError.self) { try PacketParser.packets(header) }
    }

    @Test func oldFormatLengthPastTheEndIsAnError() {
        #expect(throws: SignatureError.self) { try PacketParser.packets([0x89, 0x01, 0x00, 0x04]) }
    }

    @Test func partialLengthsAreJoined() throws {
        // A new-format literal packet (tag 11): a 512-byte partial chunk, then a final 3-byte chunk.
        let bytes: [UInt8] = [0xcb, 0xe9] + [UInt8](repeating: 7, count: 512) + [3, 1, 2, 3]
        let packets = try PacketParser.packets(bytes)
        #expect(packets.count == 1)
        #expect(packets[0].body.count == 515)
    }

    @Test func unterminatedPartialLengthIsAnError() {
        #expect(throws: SignatureError.self) { try PacketParser.packets([0xcb, 0xe9] + [UInt8](repeating: 7, count: 100)) }
    }

    @Test func garbageIsNotASignature() throws {
        #expect(try verdict("-----BEGIN PGP SIGNATURE-----\n\n!!!!\n-----END PGP SIGNATURE-----\n").status == .bad)
        #expect(try verdict("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n").status == .bad)
        #expect(try verdict("hello").status == .bad)
    }

    @Test func subpacketLengthPastItsAreaIsAnError() {
        #expect(throws: SignatureError.self) { try SignatureSubpacket.parseAll([10, 2, 0, 0]) }
    }

    @Test func zeroLengthSubpacketIsAnError() {
        #expect(throws: SignatureError.self) { try SignatureSubpacket.parseAll([0]) }
    }

    @Test func unknownCriticalSubpacketIsRejected() throws {
        // v4 binary signature, EdDSA, SHA-256, hashed: creation time and a critical subpacket 99.
        var body: [UInt8] = [4, 0, 22, 8]
        let hashed: [UInt8] = [5, 2, 0, 0, 0, 1] + [2, 0x80 | 99, 0]
        body.appendUInt16(hashed.count)
        body += hashed + [0, 10, 9, 0x21, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39] + [0xab, 0xcd, 0, 8, 1, 0, 8, 1]
        let signature = try SignaturePacket(body: body)
        #expect(signature.unknownCriticalSubpacket == 99)
        let verdict = OpenPGPVerifier(keyRing: KeyRing(), policy: VerificationPolicy()).verify(signature, over: [])
        #expect(verdict.status == .bad)
        #expect(verdict.reason.contains("critical"))
    }

    @Test func malformedKeyFileNamesTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-bad-\(UUID().uuidString).sshpub").path
        try "ssh-ed25519 not-base64!!\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var keys = TrustedKeys()
        #expect {
            try keys.load(path: path)
        } throws: { error in
            "\(error)".contains(path + ":1")
        }
    }

    @Test func timesAtTheEdgesOfIntFormatWithoutATrap() {
        for seconds in [Int.max, Int.min, 67_767_976_233_316_800, -67_768_040_609_740_800, 0] {
            #expect(!Verdict.isoFormatter(seconds).isEmpty)
        }
    }
}
