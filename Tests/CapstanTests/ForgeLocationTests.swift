import Forges
import Foundation
import Testing

/// Which forge and repository Capstan works out from remotes, CI variables and flags.
@Suite struct ForgeLocationTests {
    @Test func githubRemotesNeedNoFlags() throws {
        for remote in ["https://github.com/acme/release.git", "git@github.com:acme/release.git", "ssh://git@github.com/acme/release"] {
            let location = try ForgeLocation.detect(remote: remote, environment: [:])
            #expect(location == ForgeLocation(kind: .github, apiURL: "https://api.github.com", project: "acme/release"), "\(remote)")
        }
    }

    @Test func githubEnterpriseServerGetsItsAPIV3Root() throws {
        let location = try ForgeLocation.detect(remote: "https://ghe.acme.example/platform/release.git", forge: .github,
                                                forgeURL: "https://ghe.acme.example", environment: [:])
        #expect(location.apiURL == "https://ghe.acme.example/api/v3")
        #expect(location.project == "platform/release")
    }

    /// A pipeline in the application repository writing to the release repository: the CI
    /// variables name the application, so the remote's path names the project.
    @Test func ciVariablesGiveTheServerNotTheProject() throws {
        let dotCom = try ForgeLocation.detect(remote: "https://github.com/acme/release-repo.git", environment: [
            "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/checkout", "GITHUB_SERVER_URL": "https://github.com",
        ])
        #expect(dotCom == ForgeLocation(kind: .github, apiURL: "https://api.github.com", project: "acme/release-repo"))
        let enterprise = try ForgeLocation.detect(remote: "https://ghe.acme.example/platform/release.git", environment: [
            "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "platform/checkout", "GITHUB_SERVER_URL": "https://ghe.acme.example",
            "GITHUB_API_URL": "https://ghe.acme.example/api/v3",
        ])
        #expect(enterprise == ForgeLocation(kind: .github, apiURL: "https://ghe.acme.example/api/v3", project: "platform/release"))
        let gitlab = try ForgeLocation.detect(remote: "git@gitlab.acme.example:platform/team/release.git", environment: [
            "GITLAB_CI": "true", "CI_SERVER_URL": "https://gitlab.acme.example", "CI_PROJECT_PATH": "platform/checkout",
        ])
        #expect(gitlab == ForgeLocation(kind: .gitlab, apiURL: "https://gitlab.acme.example/api/v4", project: "platform/team/release"))
        let ownRepository = try ForgeLocation.detect(remote: "", environment: [
            "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/release", "GITHUB_API_URL": "https://ghe.acme.example/api/v3",
        ])
        #expect(ownRepository == ForgeLocation(kind: .github, apiURL: "https://ghe.acme.example/api/v3", project: "acme/release"))
    }

    /// CI variables say nothing about a repository on another server: a GitLab pipeline
    /// pushing to a self-hosted Gitea must be told which forge it is.
    @Test func ciVariablesDoNotApplyToAnotherServer() throws {
        let environment = ["GITLAB_CI": "true", "CI_SERVER_URL": "https://gitlab.acme.example", "CI_PROJECT_PATH": "platform/checkout"]
        #expect {
            try ForgeLocation.detect(remote: "https://git.acme.example/platform/release.git", environment: environment)
        } throws: { error in
            String(describing: error).contains("give --forge") && String(describing: error).contains("https://gitlab.acme.example")
        }
        let told = try ForgeLocation.detect(remote: "https://git.acme.example/platform/release.git", forge: .gitea, environment: environment)
        #expect(told == ForgeLocation(kind: .gitea, apiURL: "https://git.acme.example/api/v1", project: "platform/release"))
        let github = try ForgeLocation.detect(remote: "https://github.com/acme/release.git", environment: environment)
        #expect(github == ForgeLocation(kind: .github, apiURL: "https://api.github.com", project: "acme/release"))
    }

    @Test func azureDevOpsServerRemotesGiveTheCollectionRoot() throws {
        let location = try ForgeLocation.detect(remote: "https://tfs.acme.example/DefaultCollection/Platform/_git/release",
                                                forge: .azure, environment: [:])
        #expect(location == ForgeLocation(kind: .azure, apiURL: "https://tfs.acme.example/DefaultCollection", project: "Platform/release"))
    }

    @Test func gitlabCIGivesNestedGroupsAndTheAPIRoot() throws {
        let location = try ForgeLocation.detect(remote: "https://gitlab.acme.example/platform/team/release.git", environment: [
            "GITLAB_CI": "true", "CI_API_V4_URL": "https://gitlab.acme.example/api/v4", "CI_PROJECT_PATH": "platform/team/release",
        ])
        #expect(location == ForgeLocation(kind: .gitlab, apiURL: "https://gitlab.acme.example/api/v4", project: "platform/team/release"))
        let fromRemote = try ForgeLocation.detect(remote: "https://gitlab.com/platform/team/release.git", environment: [:])
        #expect(fromRemote.project == "platform/team/release")
    }

    @Test func giteaAndForgejoActionsAreNotTakenForGitHub() throws {
        let environment = ["GITHUB_ACTIONS": "true", "GITEA_ACTIONS": "true", "GITHUB_SERVER_URL": "https://git.acme.example",
                           "GITHUB_REPOSITORY": "acme/release"]
        let gitea = try ForgeLocation.detect(remote: "", environment: environment)
        #expect(gitea == ForgeLocation(kind: .gitea, apiURL: "https://git.acme.example/api/v1", project: "acme/release"))
        var forgejo = environment
        forgejo["GITEA_ACTIONS"] = nil
        forgejo["FORGEJO_ACTIONS"] = "true"
        #expect(try ForgeLocation.detect(remote: "", environment: forgejo).kind == .forgejo)
    }

    @Test func bitbucketAndAzureFromTheirPipelinesAndRemotes() throws {
        let pipelines = try ForgeLocation.detect(remote: "", environment: ["BITBUCKET_WORKSPACE": "acme", "BITBUCKET_REPO_SLUG": "release"])
        #expect(pipelines == ForgeLocation(kind: .bitbucketCloud, apiURL: "https://api.bitbucket.org/2.0", project: "acme/release"))
        let azure = try ForgeLocation.detect(remote: "https://dev.azure.com/acme/Platform/_git/release", environment: [:])
        #expect(azure == ForgeLocation(kind: .azure, apiURL: "https://dev.azure.com/acme", project: "Platform/release"))
        let azurePipelines = try ForgeLocation.detect(remote: "", environment: [
            "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI": "https://dev.azure.com/acme/", "SYSTEM_TEAMPROJECT": "Platform",
            "BUILD_REPOSITORY_NAME": "release",
        ])
        #expect(azurePipelines == azure)
        let dataCenter = try ForgeLocation.detect(remote: "https://bitbucket.acme.example/scm/PLAT/release.git", forge: .bitbucketDataCenter,
                                                  environment: [:])
        #expect(dataCenter == ForgeLocation(kind: .bitbucketDataCenter, apiURL: "https://bitbucket.acme.example/rest/api/latest",
                                            project: "PLAT/release"))
    }

    @Test func bitbucketCloudBehindAnotherHostTakesWorkspaceAndRepoFromThePath() throws {
        let proxied = try ForgeLocation.detect(remote: "https://git.acme.example/acme/release.git", forge: .bitbucketCloud,
                                               forgeURL: "https://bitbucket-api.acme.example/2.0", environment: [:])
        #expect(proxied == ForgeLocation(kind: .bitbucketCloud, apiURL: "https://bitbucket-api.acme.example/2.0", project: "acme/release"))
        #expect(throws: ForgeError.self) {
            try ForgeLocation.detect(remote: "https://git.acme.example/acme/release.git", forge: .bitbucketCloud, environment: [:])
        }
    }

    @Test func flagsOverrideDetection() throws {
        let location = try ForgeLocation.detect(remote: "https://github.com/acme/release.git", forge: .gitea,
                                                forgeURL: "https://git.acme.example", project: "ops/release", environment: [:])
        #expect(location == ForgeLocation(kind: .gitea, apiURL: "https://git.acme.example/api/v1", project: "ops/release"))
    }

    @Test func anUnknownHostIsAClearErrorWithoutCredentials() {
        #expect {
            try ForgeLocation.detect(remote: "https://bot:s3cret@git.example/acme/release.git", environment: [:])
        } throws: { error in
            let text = String(describing: error)
            return text.contains("give --forge") && !text.contains("s3cret")
        }
    }
}
