import Signatures
import Testing

/// HMAC through OpenSSL, against published test vectors.
@Suite struct HMACTests {
    @Test func rfc4231TestCase2() {
        let code = HMAC.sha256Hex(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(code == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func gitHubsWebhookDocumentationExample() {
        let code = HMAC.sha256Hex(Array("Hello, World!".utf8), key: Array("It's a Secret to Everybody".utf8))
        #expect(code == "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
    }

    @Test func sha1AndAnEmptyKeyWork() {
        let code = HMAC.authenticationCode([], key: [], .sha1)
        #expect(code.map { String(format: "%02x", $0) }.joined() == "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d")
    }
}
