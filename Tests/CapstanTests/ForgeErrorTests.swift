import Forges
import Testing

/// Forge errors end with what to do next where the status says enough.
@Suite struct ForgeErrorTests {
    @Test func refusedMissingAndForbiddenSayWhatToCheck() {
        let unauthorised = ForgeError.http(status: 401, message: "Bad credentials", method: "POST", path: "/repos/acme/release/pulls")
        #expect(unauthorised.description.hasPrefix("POST /repos/acme/release/pulls: HTTP 401: Bad credentials — "))
        #expect(unauthorised.description.contains("--token-env"))
        #expect(ForgeError.http(status: 404, message: "", method: "GET", path: "/x").description.contains("--repo / --project"))
        #expect(ForgeError.http(status: 403, message: "", method: "PUT", path: "/x").description.contains("permission"))
        #expect(!ForgeError.http(status: 422, message: "Validation Failed", method: "POST", path: "/x").description.contains("—"))
        #expect(ForgeError.transport(message: "connection refused", method: "GET", path: "/x").description.contains("--forge-url"))
    }
}
