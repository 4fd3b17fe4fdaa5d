import Git
import Steps
import Testing

@Suite struct CredentialResolverTests {
    private func resolve(_ url: String, _ options: CredentialOptions, _ environment: [String: String]) throws -> Credentials {
        try CredentialResolver.resolve(options, for: RemoteURL(url), environment: environment)
    }

    private func resolve(_ url: String, _ environment: [String: String]) throws -> Credentials {
        try resolve(url, CredentialOptions(), environment)
    }

    @Test func ciVariablesCarryTheirForgesUserName() throws {
        guard case let .token(user, token) = try resolve("https://gitlab.example.com/a/b.git", ["CI_JOB_TOKEN": "j"]) else {
            Issue.record("expected a token")
            return
        }
        #expect(user == "gitlab-ci-token" && token == "j")
        guard case let .token(githubUser, _) = try resolve("https://github.com/a/b.git", ["GITHUB_TOKEN": "g", "CI_JOB_TOKEN": "j"]) else {
            Issue.record("expected a token")
            return
        }
        #expect(githubUser == "x-access-token")
    }

    @Test func anExplicitVariableWinsAndMustBeSet() throws {
        let options = CredentialOptions(tokenVariable: "RELEASE_TOKEN", username: "bot")
        guard case let .token(user, token) = try resolve("https://h/r.git", options, ["RELEASE_TOKEN": "r", "GITHUB_TOKEN": "g"]) else {
            Issue.record("expected a token")
            return
        }
        #expect(user == "bot" && token == "r")
        #expect(throws: UpdateError.self) { try resolve("https://h/r.git", options, [:]) }
    }

    @Test func aTokenInTheURLIsTakenOutOfIt() throws {
        let url = RemoteURL("https://bot:s3cret@git.example.com/acme/release.git")
        #expect(url.url == "https://git.example.com/acme/release.git")
        #expect(url.username == "bot" && url.embeddedSecret == "s3cret")
        #expect(!url.description.contains("s3cret"))
        guard case let .token(user, token) = try resolve("https://bot:s3cret@git.example.com/acme/release.git", [:]) else {
            Issue.record("expected a token")
            return
        }
        #expect(user == "bot" && token == "s3cret")
    }

    @Test func sshNeedsAKeyAndLocalPathsNeedNothing() throws {
        #expect(throws: UpdateError.self) { try resolve("git@github.com:acme/release.git", [:]) }
        let options = CredentialOptions(sshKeyPath: "/k", knownHostsPath: "/kh")
        guard case let .sshKey(user, key, passphrase, knownHosts) = try resolve("git@github.com:acme/release.git", options, [:]) else {
            Issue.record("expected an ssh key")
            return
        }
        #expect(user == "git" && key == "/k" && passphrase == nil && knownHosts == "/kh")
        guard case .none = try resolve("/srv/git/release.git", ["GITHUB_TOKEN": "g"]) else {
            Issue.record("a local path needs no credentials")
            return
        }
    }

    @Test func describingCredentialsNeverShowsTheSecret() {
        let credentials = Credentials.token(username: "x-access-token", token: "ghp_secret")
        #expect(!credentials.description.contains("ghp_secret"))
        #expect(credentials.secrets == ["ghp_secret"])
    }
}
