@testable import Forges
import Testing

@Suite struct RequestLogTests {
    @Test func secretLookingQueryValuesAreRedacted() {
        #expect(HTTPClient.redacted("/repos/a/b/pulls", query: [:]) == "/repos/a/b/pulls")
        #expect(HTTPClient.redacted("/x", query: ["state": "open", "access_token": "ghp_x", "sig": "abc"])
            == "/x?access_token=***&sig=***&state=open")
    }
}
