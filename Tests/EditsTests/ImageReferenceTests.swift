import Edits
import Testing

@Suite struct ImageReferenceTests {
    @Test func dockerHubNamesNormalise() throws {
        let short = try ImageReference.parse("nginx")
        #expect(short.normalizedName == "docker.io/library/nginx")
        #expect(try ImageReference.parse("docker.io/library/nginx:1.27").normalizedName == short.normalizedName)
        #expect(try ImageReference.parse("index.docker.io/library/nginx").normalizedName == short.normalizedName)
        #expect(try ImageReference.parse("bitnami/redis").normalizedName == "docker.io/bitnami/redis")
    }

    @Test func registryWithPortIsNotATag() throws {
        let reference = try ImageReference.parse("registry.example.com:5000/team/api:1.2.3")
        #expect(reference.domain == "registry.example.com:5000")
        #expect(reference.path == "team/api")
        #expect(reference.tag == "1.2.3")
        let untagged = try ImageReference.parse("localhost:5000/app")
        #expect(untagged.tag == nil)
        #expect(untagged.domain == "localhost:5000")
    }

    @Test func tagAndDigestTogether() throws {
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let reference = try ImageReference.parse("ghcr.io/acme/app:1.0@" + digest)
        #expect(reference.tag == "1.0")
        #expect(reference.digest == digest)
        #expect(reference.description == "ghcr.io/acme/app:1.0@" + digest)
    }

    @Test(arguments: ["", "acme/UpperCase", "app:", "app:-bad", "app@sha256:short", "a b", "ghcr.io//x", "app:{{ .Values.tag }}"])
    func malformedReferencesAreRejected(text: String) {
        #expect(throws: EditError.self) { try ImageReference.parse(text) }
    }

    @Test func updateSpecFollowsKustomizeSyntax() throws {
        let rename = try ImageUpdate.parse("nginx=registry.example.com/mirror/nginx:1.27")
        #expect(rename.image.normalizedName == "docker.io/library/nginx")
        #expect(rename.newName == "registry.example.com/mirror/nginx")
        #expect(rename.tag == "1.27")
        #expect(throws: EditError.self) { try ImageUpdate.parse("nginx") }
        #expect(throws: EditError.self) { try ImageUpdate.parse("nginx:1.0=other:2.0") }
    }

    @Test func rewriteSemantics() throws {
        let digest = "sha256:" + String(repeating: "cd", count: 32)
        let pinned = try ImageReference.parse("nginx:1.25@sha256:" + String(repeating: "00", count: 32))
        #expect(try ImageUpdate.parse("nginx:1.27").rewrite(pinned) == "nginx:1.27")
        #expect(try ImageUpdate.parse("nginx@" + digest).rewrite(pinned) == "nginx@" + digest)
        #expect(try ImageUpdate.parse("nginx:1.27@" + digest).rewrite(pinned) == "nginx:1.27@" + digest)
        #expect(try ImageUpdate.parse("nginx=mirror.example.com/nginx").rewrite(pinned)
            == "mirror.example.com/nginx:1.25@sha256:" + String(repeating: "00", count: 32))
    }
}
