import Forges
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
        let gitlabCI = ["GITLAB_CI": "true", "CI_SERVER_URL": "https://gitlab.example.com", "CI_JOB_TOKEN": "j"]
        guard case let .token(user, token) = try resolve("https://gitlab.example.com/a/b.git", gitlabCI) else {
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

    /// A CI job's token goes to its own server only, and GitHub's to github.com only: a
    /// GitLab pipeline writing to GitHub, or to another GitLab, sends no job token there.
    @Test func aTokenNeverGoesToAServerItWasNotMadeFor() throws {
        let gitlabCI = ["GITLAB_CI": "true", "CI_SERVER_URL": "https://gitlab.acme.example", "CI_JOB_TOKEN": "j"]
        for remote in ["https://github.com/acme/release.git", "https://gitlab.com/acme/release.git", "https://git.acme.example/acme/release.git"] {
            guard case .none = try resolve(remote, gitlabCI) else {
                Issue.record("the GitLab job token was offered to \(remote)")
                continue
            }
        }
        guard case .none = try resolve("https://ghe.acme.example/acme/release.git", ["GITHUB_TOKEN": "g"]) else {
            Issue.record("a github.com token was offered to another server")
            return
        }
        guard case let .token(_, enterprise) = try resolve("https://ghe.acme.example/acme/release.git", [
            "GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://ghe.acme.example", "GITHUB_TOKEN": "job",
        ]) else {
            Issue.record("the job token of GitHub Enterprise Actions was not offered to its own server")
            return
        }
        #expect(enterprise == "job")
        #expect(ForgeLocation.implicitTokenVariables(remote: "https://git.acme.example/a/b.git", environment: ["GITEA_TOKEN": "t"]) == ["CAPSTAN_TOKEN"])
    }

    /// CAPSTAN_TOKEN (the GitHub Action's `token` input) is meant for the repository the
    /// command names, on any forge, with the user name that forge expects.
    @Test func capstansOwnTokenGoesToTheNamedRepository() throws {
        for (remote, user) in [("https://bitbucket.org/acme/release.git", "x-token-auth"), ("https://gitlab.com/acme/release.git", "oauth2"),
                               ("https://git.acme.example/acme/release.git", "x-access-token")] {
            guard case let .token(username, token) = try resolve(remote, ["CAPSTAN_TOKEN": "c", "BITBUCKET_TOKEN": "b", "GITLAB_TOKEN": "g"]) else {
                Issue.record("no token for \(remote)")
                continue
            }
            #expect(token == "c" && username == user, "\(remote)")
        }
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
