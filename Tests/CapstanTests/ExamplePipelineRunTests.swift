import CapstanTestSupport
import Foundation
import Testing
import YAML

/// Every example pipeline in examples/ci, run for real: its Capstan steps (and the shell
/// around them) in the pipeline's order, as the pipeline writes them, with the CI's own
/// variables, against the loopback test forge of that CI's kind holding the Argo CD example
/// as acme/release-repo. Green checks let the merge through; a failing rollout, seen by
/// `capstan wait` against either reconciler (`PipelineRollout`: the loopback Argo CD API,
/// or Flux's objects on the loopback Kubernetes API, both tracking the release
/// repository's main), must revert the release and restore the base.
///
/// For Flux the release repository's Argo CD objects are replaced by Flux's (`FluxTree`),
/// and the pipeline's `--argocd-server …` by `--kubeconfig …`.
///
/// The only edits to a pipeline's text: its release repository's public address swapped for
/// the test forge's (the forge runs on loopback), and for Bitbucket, whose CI names no server
/// of its own, and the Tekton Task, whose repository is any address, `--forge KIND
/// --forge-url …` appended to the forge-talking calls.
/// Tools other than Capstan are stood in for on the PATH of the images that really have
/// them: `docker` (a push needs a login first; the image job still runs, since it computes
/// the tag later jobs use), `argocd` only in Argo CD's image (healthy, or failing on
/// request; it needs ARGOCD_SERVER and ARGOCD_AUTH_TOKEN), and on GitHub's hosted runner a
/// `curl` that serves Argo CD's CLI release. A step calling a tool its image lacks fails
/// with "command not found", as it would on the real CI.
@Suite struct ExamplePipelineRunTests {
    static let sha = "3f2c9a0d5e7b41c88a6f0e2d9b1c4a7e5f3d2b10"

    /// What every release flow leaves behind: the bump merged, then (when the rollout
    /// failed) a merged revert and the base as it was; no secret printed; every API call
    /// as the forge documents it.
    /// `revertCommand`: the step that reverts (nil when `capstan wait --revert-on-failure`
    /// does it within the wait); `argocdCLI`: whether the pipeline checks the rollout with it.
    private func expectReleaseFlow(_ harness: PipelineHarness, _ rollout: PipelineRollout, tag: String, rolloutFails: Bool, commands: [String],
                                   revertCommand: String? = "pr revert", argocdCLI: Bool = true) throws {
        // CAPSTAN_PIPELINE_TRANSCRIPT=1 shows what a pipeline printed, to read it like a CI log.
        if ProcessInfo.processInfo.environment["CAPSTAN_PIPELINE_TRANSCRIPT"] != nil { print(harness.transcript) }
        #expect(harness.capstanCommands == commands + (rolloutFails ? [revertCommand].compactMap { $0 } : []), "\(harness.transcript)")
        let pulls = harness.forge.pullRequests
        #expect(pulls.first?["title"] as? String == "Update checkout to \(tag)", "\(harness.transcript)")
        #expect(pulls.first?["merged"] as? Bool == true, "\(harness.transcript)")
        if rolloutFails {
            #expect(pulls.count == 2)
            #expect(pulls.last?["title"] as? String == "Revert \"Update checkout to \(tag)\"")
            #expect(pulls.last?["merged"] as? Bool == true)
            #expect(try harness.prodConfig() == PipelineHarness.originalProdConfig(), "the revert did not restore main")
        } else {
            #expect(pulls.count == 1)
            #expect(try harness.prodConfig().contains("tag: \"\(tag)\""), "the bump is not on main")
        }
        if argocdCLI {
            #expect(harness.argocdRanOnlyWhereInstalled, "argocd ran where it is not installed: \(harness.argocdInvocations)")
        } else {
            #expect(harness.argocdInvocations.isEmpty, "argocd ran: \(harness.argocdInvocations)")
            // `capstan wait` saw the merge (and, after a failure, its revert) roll out to the end.
            let pattern = rolloutFails ? #"rollout of the revert [0-9a-f]{7}: rolled-out"# : #"rollout of [0-9a-f]{7}: rolled-out"#
            #expect(harness.transcript.range(of: pattern, options: .regularExpression) != nil, "\(harness.transcript)")
        }
        // The rollout was judged at the merge: the reconciler was asked until the merge was healthy (or failed).
        #expect(rollout.stages.contains(rollout.finalStage(failed: rolloutFails)), "\(rollout.stages)\n\(harness.transcript)")
        #expect(rollout.refused.isEmpty, "\(rollout.refused)")
        #expect(try harness.leakedSecrets(also: rollout.secrets).isEmpty, "a secret was printed:\n\(harness.transcript)")
        let check = try harness.forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    /// github-actions.yml on a push to main (run 7) of acme/checkout.
    private func runGitHubRelease(_ harness: PipelineHarness, rollout: PipelineRollout) throws -> ActionsWorkflowRun {
        // The release repository lives on github.com; here on the test forge, which plays a
        // GitHub Enterprise Server that the CI variables name. The reconciler is the loopback
        // one, polled every second instead of every 15.
        let file = try PipelineHarness.pipeline("github-actions.yml", swaps: [
            (PipelineHarness.publicURL, harness.releaseURL), ("--poll-interval 15s", "--poll-interval 1s"),
        ] + rollout.swaps(serverFlag: "--argocd-server https://argocd.acme.example"))
        let workspace = try harness.directory("workspace")
        var run = ActionsWorkflowRun(harness: harness, context: [
            "secrets.RELEASE_REPO_TOKEN": harness.forge.token, "secrets.ARGOCD_TOKEN": harness.otherSecrets[0],
            "secrets.GITHUB_TOKEN": harness.otherSecrets[1], "github.actor": "release-engineer",
        ], environment: [
            "GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": harness.forge.webURL, "GITHUB_API_URL": harness.forge.webURL + "/api/v3",
            "GITHUB_REPOSITORY": "acme/checkout", "GITHUB_RUN_NUMBER": "7", "GITHUB_SHA": Self.sha, "GITHUB_REF": "refs/heads/main",
            "GITHUB_EVENT_NAME": "push", "GITHUB_WORKSPACE": workspace.path, "RUNNER_OS": "Linux", "RUNNER_TEMP": workspace.path,
        ], workspace: workspace)
        try run.run(file)
        return run
    }

    @Test(arguments: PipelineHarness.Reconciler.allCases, [false, true])
    func githubActionsBuildUpdatePullRequestMergeAndRevert(reconciler: PipelineHarness.Reconciler, rolloutFails: Bool) throws {
        let harness = try PipelineHarness(kind: "github", label: "github-\(reconciler)-\(rolloutFails)", repoURLsOnForge: true,
                                          reconciler: reconciler)
        let rollout = try PipelineRollout(harness, rolloutFails: rolloutFails)
        let run = try runGitHubRelease(harness, rollout: rollout)
        #expect(run.failed == rolloutFails, "\(harness.transcript)")
        #expect(run.outputs["needs.image.outputs.tag"] == "1.7.0")
        #expect(run.outputs["steps.update.outputs.commit"]?.count == 40)
        #expect(run.outputs["steps.update.outputs.pr-number"] == "1")
        #expect(run.outputs["steps.merge.outputs.merge-sha"]?.isEmpty == false)
        // The image job's token may push packages and nothing else; the release job's reads.
        #expect(run.declaredPermissions["image"] == ["contents": "read", "packages": "write"])
        #expect(run.neededPermissions["image"] == ["contents": "read", "packages": "write"])
        #expect(run.declaredPermissions["release-repo"] == ["contents": "read"])
        #expect(run.steps.first { $0.name.hasPrefix("image step") && $0.status != 0 } == nil, "\(harness.transcript)")
        try expectReleaseFlow(harness, rollout, tag: "1.7.0", rolloutFails: rolloutFails, commands: ["update", "pr merge", "wait"],
                              revertCommand: nil, argocdCLI: false)
    }

    /// A red check stops the flow at the merge, and the revert step (guarded by the merge's
    /// output) does not run: there is nothing to revert.
    @Test func githubActionsNeverMergesNorRevertsARedPullRequest() throws {
        let harness = try PipelineHarness(kind: "github", label: "github-red", repoURLsOnForge: true)
        harness.checksState = "failure"
        let run = try runGitHubRelease(harness, rollout: try PipelineRollout(harness, rolloutFails: false))
        #expect(run.failed)
        #expect(run.outputs["steps.merge.outputs.merge-sha", default: ""].isEmpty)
        #expect(harness.capstanCommands == ["update", "pr merge"], "\(harness.transcript)")
        #expect(harness.forge.pullRequests.map { $0["state"] as? String } == ["open"])
        #expect(try harness.prodConfig() == PipelineHarness.originalProdConfig())
        #expect(try harness.leakedSecrets().isEmpty, "a secret was printed:\n\(harness.transcript)")
    }

    /// gitea-actions.yml on a push to main of acme/checkout, on Gitea or Forgejo.
    private func runGiteaRelease(_ harness: PipelineHarness, rollout: PipelineRollout) throws -> ActionsWorkflowRun {
        // The workflow names the release repository on its own server (gitea.server_url);
        // the reconciler is the loopback one, polled every second.
        let file = try PipelineHarness.pipeline("gitea-actions.yml", swaps: [("--poll-interval 15s", "--poll-interval 1s")]
            + rollout.swaps(serverFlag: "--argocd-server https://argocd.acme.example"))
        let workspace = try harness.directory("workspace")
        var environment = [
            "GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": harness.forge.webURL, "GITHUB_API_URL": harness.forge.webURL + "/api/v1",
            "GITHUB_REPOSITORY": "acme/checkout", "GITHUB_SHA": Self.sha, "GITHUB_REF": "refs/heads/main", "GITHUB_WORKSPACE": workspace.path,
            // The job's own token, for the application repository: never sent anywhere here.
            "GITHUB_TOKEN": harness.otherSecrets[1],
        ]
        environment[harness.forge.kind == "forgejo" ? "FORGEJO_ACTIONS" : "GITEA_ACTIONS"] = "true"
        var run = ActionsWorkflowRun(harness: harness, context: [
            "gitea.server_url": harness.forge.webURL, "gitea.sha": Self.sha, "secrets.RELEASE_REPO_TOKEN": harness.forge.token,
            "secrets.ARGOCD_TOKEN": harness.otherSecrets[0],
        ], environment: environment, workspace: workspace)
        try run.run(file)
        return run
    }

    @Test(arguments: [("gitea", false), ("gitea", true), ("forgejo", false), ("forgejo", true)], PipelineHarness.Reconciler.allCases)
    func giteaAndForgejoActionsUpdateMergeAndRevert(forge: (kind: String, rolloutFails: Bool), reconciler: PipelineHarness.Reconciler) throws {
        let (kind, rolloutFails) = forge
        let harness = try PipelineHarness(kind: kind, label: "\(kind)-\(reconciler)-\(rolloutFails)", repoURLsOnForge: true,
                                          reconciler: reconciler)
        let rollout = try PipelineRollout(harness, rolloutFails: rolloutFails)
        let run = try runGiteaRelease(harness, rollout: rollout)
        #expect(run.failed == rolloutFails, "\(harness.transcript)")
        #expect(run.outputs["needs.release-repo.outputs.pr-number"] == "1")
        #expect(run.outputs["needs.release-repo.outputs.merge-sha"]?.isEmpty == false)
        #expect(run.jobResults == ["release-repo": "success", "rollout": rolloutFails ? "failure" : "success"], "\(harness.transcript)")
        try expectReleaseFlow(harness, rollout, tag: Self.sha, rolloutFails: rolloutFails, commands: ["update", "pr merge", "wait"],
                              revertCommand: nil, argocdCLI: false)
    }

    /// GitLab's predefined variables for a pipeline of acme/checkout on the test forge: a
    /// push to `branch`, a tag pipeline (`tag`), or a merge request pipeline (neither).
    private func gitlabVariables(_ harness: PipelineHarness, _ workspace: URL, source: String, branch: String? = "main",
                                 tag: String? = nil, argoURL: String? = nil) -> [String: String] {
        var variables = [
            "GITLAB_CI": "true", "CI_SERVER_URL": harness.forge.webURL, "CI_API_V4_URL": harness.forge.webURL + "/api/v4",
            "CI_PROJECT_PATH": "acme/checkout", "CI_PROJECT_NAME": "checkout", "CI_PROJECT_DIR": workspace.path,
            "CI_COMMIT_SHA": Self.sha, "CI_COMMIT_SHORT_SHA": String(Self.sha.prefix(8)), "CI_DEFAULT_BRANCH": "main",
            // The example release repository deploys ghcr.io images; the registry is the team's choice.
            "CI_REGISTRY": "ghcr.io", "CI_REGISTRY_IMAGE": "ghcr.io/acme/checkout", "CI_REGISTRY_USER": "gitlab-ci-token",
            "CI_REGISTRY_PASSWORD": harness.otherSecrets[1], "CI_PIPELINE_SOURCE": source,
            "CI_JOB_TOKEN": harness.otherSecrets[1], "RELEASE_REPO_TOKEN": harness.forge.token,
            // CI/CD variables the rollout job's `capstan wait` reads.
            "ARGOCD_URL": argoURL ?? "https://argocd.acme.example", "ARGOCD_AUTH_TOKEN": harness.otherSecrets[0],
        ]
        if source == "merge_request_event" {
            variables["CI_MERGE_REQUEST_IID"] = "3"
            variables["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = "capstan/checkout-1.9.0"
        } else {
            variables["CI_COMMIT_BRANCH"] = branch
            variables["CI_COMMIT_TAG"] = tag
        }
        return variables
    }

    /// gitlab-ci.yml on a push pipeline of acme/checkout (to main unless told otherwise).
    private func runGitLabRelease(_ harness: PipelineHarness, branch: String? = "main", tag: String? = nil,
                                  rollout: PipelineRollout? = nil) throws -> GitLabPipelineRun {
        // The pipeline names the release repository on its own server ($CI_SERVER_URL) and
        // Argo CD by a CI/CD variable; only the rollout's poll interval is shortened (and,
        // for Flux, a kubeconfig given instead).
        let file = try PipelineHarness.pipeline("gitlab-ci.yml", swaps: [("--poll-interval 15s", "--poll-interval 1s")]
            + (rollout?.swaps(serverFlag: #"--argocd-server "$ARGOCD_URL""#) ?? []))
        let workspace = try harness.directory("workspace")
        var run = GitLabPipelineRun(harness: harness, environment: gitlabVariables(harness, workspace, source: "push", branch: branch, tag: tag,
                                                                                   argoURL: rollout?.argoURL),
                                    workspace: workspace)
        try run.run(file)
        return run
    }

    @Test(arguments: PipelineHarness.Reconciler.allCases, [false, true])
    func gitlabUpdateMergeRequestMergeAndRevert(reconciler: PipelineHarness.Reconciler, rolloutFails: Bool) throws {
        let harness = try PipelineHarness(kind: "gitlab", label: "gitlab-\(reconciler)-\(rolloutFails)", repoURLsOnForge: true,
                                          reconciler: reconciler)
        let rollout = try PipelineRollout(harness, rolloutFails: rolloutFails)
        let run = try runGitLabRelease(harness, rollout: rollout)
        #expect(run.failed == rolloutFails, "\(harness.transcript)")
        #expect(run.jobs.map(\.name) == ["image-build", "update-release-repo", "merge-release-mr", "rollout-check"])
        #expect(run.dotenv["CAPSTAN_PR_NUMBER"] == "1")
        #expect(run.dotenv["CAPSTAN_MERGE_SHA"]?.count == 40)
        try expectReleaseFlow(harness, rollout, tag: String(Self.sha.prefix(8)), rolloutFails: rolloutFails,
                              commands: ["update", "pr merge", "wait"], revertCommand: nil, argocdCLI: false)
    }

    /// Only the default branch releases: a push to a feature branch, or a tag, starts no
    /// pipeline from this file, and the release repository is left alone.
    @Test(arguments: [("feature/faster-checkout", nil), (nil, "v1.7.0")] as [(String?, String?)])
    func gitlabReleasesOnlyFromTheDefaultBranch(branch: String?, tag: String?) throws {
        let harness = try PipelineHarness(kind: "gitlab", label: "gitlab-\(branch == nil ? "tag" : "feature")")
        let run = try runGitLabRelease(harness, branch: branch, tag: tag)
        #expect(!run.created)
        #expect(run.jobs.isEmpty, "\(harness.transcript)")
        #expect(harness.capstanCommands.isEmpty)
        #expect(harness.forge.pullRequests.isEmpty)
        #expect(try GitFixtures.git(["for-each-ref", "--format=%(refname)", "refs/heads"], in: harness.bare) == "refs/heads/main\n")
        #expect(try harness.prodConfig() == PipelineHarness.originalProdConfig())
    }

    /// A red pipeline on the MR fails the merge job; the rollout job (which would wait and
    /// revert) does not run, and the MR and main are left alone.
    @Test func gitlabNeverMergesNorRevertsARedMergeRequest() throws {
        let harness = try PipelineHarness(kind: "gitlab", label: "gitlab-red")
        harness.checksState = "failure"
        let run = try runGitLabRelease(harness)
        #expect(run.jobs.map(\.name) == ["image-build", "update-release-repo", "merge-release-mr"])
        #expect(run.jobs.map(\.status) == [0, 0, 3], "\(harness.transcript)")
        #expect(harness.capstanCommands == ["update", "pr merge"])
        #expect(harness.forge.pullRequests.map { $0["state"] as? String } == ["open"])
        #expect(try harness.prodConfig() == PipelineHarness.originalProdConfig())
    }

    /// bitbucket-pipelines.yml's main-branch pipeline (build 31) of acme/checkout.
    private func runBitbucketRelease(_ harness: PipelineHarness, rollout: PipelineRollout) throws -> BitbucketPipelineRun {
        let file = try PipelineHarness.pipeline("bitbucket-pipelines.yml", swaps: [
            ("https://bitbucket.org/acme/release-repo.git", harness.releaseURL), ("--poll-interval 15s", "--poll-interval 1s"),
        ] + rollout.swaps(serverFlag: "--argocd-server https://argocd.acme.example"))
        var run = BitbucketPipelineRun(harness: harness, environment: [
            "BITBUCKET_BUILD_NUMBER": "31", "BITBUCKET_WORKSPACE": "acme", "BITBUCKET_REPO_OWNER": "acme", "BITBUCKET_REPO_SLUG": "checkout",
            "BITBUCKET_BRANCH": "main", "BITBUCKET_COMMIT": Self.sha, "BITBUCKET_TOKEN": harness.forge.token,
            "ARGOCD_AUTH_TOKEN": harness.otherSecrets[0],
        ])
        try run.run(file, "branches", "main")
        return run
    }

    /// bitbucket.org cannot be served from loopback: the forge is named with flags instead.
    private func bitbucketHarness(_ label: String, reconciler: PipelineHarness.Reconciler = .argoCD) throws -> PipelineHarness {
        try PipelineHarness(kind: "bitbucket-cloud", label: label, forgeFlags: true, repoURLsOnForge: true, reconciler: reconciler)
    }

    @Test(arguments: PipelineHarness.Reconciler.allCases, [false, true])
    func bitbucketUpdateMergeAndRevertInAFinalStep(reconciler: PipelineHarness.Reconciler, rolloutFails: Bool) throws {
        let harness = try bitbucketHarness("bitbucket-\(reconciler)-\(rolloutFails)", reconciler: reconciler)
        let rollout = try PipelineRollout(harness, rolloutFails: rolloutFails)
        let run = try runBitbucketRelease(harness, rollout: rollout)
        #expect(run.failed == rolloutFails, "\(harness.transcript)")
        // The wait step reverts a failed rollout and fails the pipeline (3: the rollout failed).
        #expect(run.steps.map(\.status) == [0, 0, rolloutFails ? 3 : 0], "\(harness.transcript)")
        // The merge step's JSON, next to the update.json artifact it read the PR number from.
        let directory = try #require(run.lastDirectory)
        #expect(try String(contentsOf: directory.appendingPathComponent("update.json"), encoding: .utf8).contains("\"number\" : 1"))
        #expect(try String(contentsOf: directory.appendingPathComponent("merge.json"), encoding: .utf8).contains("\"mergeSHA\""))
        try expectReleaseFlow(harness, rollout, tag: "1.31.0", rolloutFails: rolloutFails, commands: ["update", "pr merge", "wait"],
                              revertCommand: nil, argocdCLI: false)
    }

    /// azure-pipelines.yml's build 412 of acme/checkout in the "platform" project.
    private func runAzureRelease(_ harness: PipelineHarness, pullRequest: Bool = false, rollout: PipelineRollout? = nil) throws -> AzurePipelineRun {
        // dev.azure.com is served by the test forge, whose collection the CI variables name;
        // the reconciler is the loopback one, polled every second.
        let file = try PipelineHarness.pipeline("azure-pipelines.yml", swaps: [
            ("https://dev.azure.com/acme/platform/_git/release-repo", harness.releaseURL), ("--poll-interval 15s", "--poll-interval 1s"),
        ] + (rollout?.swaps(serverFlag: "--argocd-server https://argocd.acme.example") ?? []))
        let workspace = try harness.directory("workspace")
        var run = AzurePipelineRun(harness: harness, variables: [
            "TF_BUILD": "True", "Build.BuildId": "412", "Build.Repository.Name": "checkout", "Build.SourcesDirectory": workspace.path,
            "System.TeamFoundationCollectionUri": harness.forge.webURL + "/acme/", "System.CollectionUri": harness.forge.webURL + "/acme/",
            "System.TeamProject": "platform", "Agent.TempDirectory": workspace.path, "System.AccessToken": harness.forge.token,
            "ARGOCD_AUTH_TOKEN": harness.otherSecrets[0],
        ], secrets: ["System.AccessToken", "ARGOCD_AUTH_TOKEN"], workspace: workspace)
        try run.run(file, branch: pullRequest ? "capstan/some-feature" : "main", pullRequest: pullRequest)
        return run
    }

    private func azureHarness(_ label: String, reconciler: PipelineHarness.Reconciler = .argoCD) throws -> PipelineHarness {
        try PipelineHarness(kind: "azure-devops", label: label, releasePath: "/acme/platform/_git/release-repo", repoURLsOnForge: true,
                            reconciler: reconciler)
    }

    @Test(arguments: PipelineHarness.Reconciler.allCases, [false, true])
    func azurePipelinesUpdateMergeAndRevertOnFailure(reconciler: PipelineHarness.Reconciler, rolloutFails: Bool) throws {
        let harness = try azureHarness("azure-\(reconciler)-\(rolloutFails)", reconciler: reconciler)
        let rollout = try PipelineRollout(harness, rolloutFails: rolloutFails)
        let run = try runAzureRelease(harness, rollout: rollout)
        #expect(run.failed == rolloutFails, "\(harness.transcript)")
        #expect(run.variables["releasePR"] == "1")
        #expect(run.variables["releaseMerged"] == "true")
        #expect(try GitFixtures.git(["branch", "--list", "capstan/checkout-412"], in: harness.bare).isEmpty, "the completion kept the branch")
        #expect(harness.transcript.contains(harness.forge.webURL + "/acme/platform/_git/release-repo/pullrequest/1"), "\(harness.transcript)")
        try expectReleaseFlow(harness, rollout, tag: "1.412.0", rolloutFails: rolloutFails, commands: ["update", "pr merge", "wait"],
                              revertCommand: nil, argocdCLI: false)
    }

    /// A PR build of the application repository (`pr: none`) starts nothing: no release.
    @Test func azurePipelinesDoNotReleaseFromPullRequestBuilds() throws {
        let harness = try azureHarness("azure-pr")
        let run = try runAzureRelease(harness, pullRequest: true)
        #expect(!run.started)
        #expect(run.steps.isEmpty, "\(harness.transcript)")
        #expect(harness.capstanCommands.isEmpty)
        #expect(harness.forge.pullRequests.isEmpty)
    }

    /// Re-running a release pipeline after its change merged (a CI "re-run all jobs") finds
    /// nothing to change: no second PR, nothing merged or reverted, and the run is green.
    @Test(arguments: ["github", "gitea", "gitlab", "bitbucket-cloud", "azure-devops"])
    func aRerunAfterTheMergeIsGreenAndChangesNothing(kind: String) throws {
        let harness = switch kind {
        case "bitbucket-cloud": try bitbucketHarness("rerun")
        case "azure-devops": try azureHarness("rerun")
        default: try PipelineHarness(kind: kind, label: "rerun-\(kind)", repoURLsOnForge: ["github", "gitea", "gitlab"].contains(kind))
        }
        let rollout = try PipelineRollout(harness, rolloutFails: false)
        let release: () throws -> Bool = {
            switch kind {
            case "github": try self.runGitHubRelease(harness, rollout: rollout).failed
            case "gitea": try self.runGiteaRelease(harness, rollout: rollout).failed
            case "gitlab": try self.runGitLabRelease(harness, rollout: rollout).failed
            case "bitbucket-cloud": try self.runBitbucketRelease(harness, rollout: rollout).failed
            default: try self.runAzureRelease(harness, rollout: rollout).failed
            }
        }
        #expect(try !release(), "\(harness.transcript)")
        let merged = try harness.prodConfig()
        #expect(try !release(), "\(harness.transcript)")
        // Every pipeline waits for the rollout with `capstan wait`; the re-run has nothing merged to wait for.
        #expect(harness.capstanCommands == ["update", "pr merge", "wait", "update"],
                "\(harness.transcript)")
        #expect(harness.forge.pullRequests.count == 1)
        #expect(try harness.prodConfig() == merged)
        #expect(try harness.leakedSecrets().isEmpty, "a secret was printed:\n\(harness.transcript)")
    }

    @Test func tektonAndArgoWorkflowsBumpTheImageOnABotBranch() throws {
        // The Task's repository is any address: the loopback forge is named with flags.
        let harness = try PipelineHarness(kind: "github", label: "cluster", forgeFlags: true)
        let directory = try harness.directory("pod")
        let secrets = ["release-repo-token": harness.forge.token]
        // Tekton: the repository is a parameter, so no swap is needed. Without a branch it
        // still works on a bot branch and opens a PR: main is never pushed to.
        let task = try PipelineHarness.pipeline("tekton-task.yaml")
        let tekton = try ClusterTaskRun.tekton(task, harness: harness, parameters: [
            "repo": harness.releaseURL, "image": "ghcr.io/acme/checkout:1.9.0", "branch": "capstan/checkout-1.9.0",
        ], secrets: secrets, in: directory)
        #expect(tekton == [0], "\(harness.transcript)")
        #expect(try GitFixtures.show(harness.bare, "capstan/checkout-1.9.0", "envs/prod/config.yaml").contains("tag: \"1.9.0\""))
        let defaulted = try ClusterTaskRun.tekton(task, harness: harness, parameters: [
            "repo": harness.releaseURL, "image": "ghcr.io/acme/checkout:1.9.2",
        ], secrets: secrets, in: directory)
        #expect(defaulted == [0], "\(harness.transcript)")
        #expect(try GitFixtures.show(harness.bare, "capstan/update", "envs/prod/config.yaml").contains("tag: \"1.9.2\""))
        #expect(try harness.prodConfig() == PipelineHarness.originalProdConfig(), "the Task pushed to main")
        #expect(harness.forge.pullRequests.compactMap { $0["head"] as? String } == ["capstan/checkout-1.9.0", "capstan/update"])
        // Argo Workflows: the template names github.com, which the loopback forge stands in for.
        let argo = try ClusterTaskRun.argo(PipelineHarness.pipeline("argo-workflows.yaml", swapping: "https://github.com/acme/release-repo.git",
                                                                    to: harness.releaseURL), harness: harness, parameters: [
            "image": "ghcr.io/acme/checkout", "tag": "1.9.1",
        ], secrets: secrets, in: directory)
        #expect(argo == [0], "\(harness.transcript)")
        #expect(try GitFixtures.show(harness.bare, "capstan/1.9.1", "envs/prod/config.yaml").contains("tag: \"1.9.1\""))
        #expect(harness.capstanCommands == ["update", "update", "update"])
        #expect(try harness.leakedSecrets().isEmpty, "a secret was printed:\n\(harness.transcript)")
    }

    /// The JUnit report reaches GitLab exactly when validation fails (`artifacts: when: always`).
    @Test func gitlabKeepsTheValidationReportWhenValidationFails() throws {
        let harness = try PipelineHarness(kind: "gitlab", label: "validate-fails")
        let checkout = try harness.directory("gitlab-checkout")
        try TestSupport.copyTree(PipelineHarness.example, to: checkout)
        try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata: [unclosed\n".write(
            to: checkout.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        var gitlab = GitLabPipelineRun(harness: harness, environment: gitlabVariables(harness, checkout, source: "merge_request_event"), workspace: checkout)
        try gitlab.run(try PipelineHarness.pipeline("gitlab-ci.yml"))
        #expect(gitlab.jobs.map(\.name) == ["validate-release-repo"])
        #expect(gitlab.jobs.first?.status != 0, "\(harness.transcript)")
        #expect(gitlab.reports == ["validate-release-repo: junit validate.xml"])
    }

    @Test func gitlabAndBitbucketValidateTheReleaseRepositoryInMergeRequests() throws {
        let harness = try PipelineHarness(kind: "gitlab", label: "validate")
        let checkout = try harness.directory("gitlab-checkout")
        try TestSupport.copyTree(PipelineHarness.example, to: checkout)
        var gitlab = GitLabPipelineRun(harness: harness, environment: gitlabVariables(harness, checkout, source: "merge_request_event"), workspace: checkout)
        try gitlab.run(try PipelineHarness.pipeline("gitlab-ci.yml"))
        #expect(gitlab.jobs.map(\.name) == ["validate-release-repo"])
        #expect(gitlab.jobs.first?.status == 0, "\(harness.transcript)")
        #expect(try String(contentsOf: checkout.appendingPathComponent("validate.xml"), encoding: .utf8).contains("<testsuite"))
        #expect(gitlab.reports == ["validate-release-repo: junit validate.xml"])

        var bitbucket = BitbucketPipelineRun(harness: harness, environment: ["BITBUCKET_PR_ID": "3", "BITBUCKET_BUILD_NUMBER": "32"],
                                             source: PipelineHarness.example)
        try bitbucket.run(try PipelineHarness.pipeline("bitbucket-pipelines.yml"), "pull-requests", "**")
        #expect(bitbucket.steps.map(\.status) == [0], "\(harness.transcript)")
        let report = try #require(bitbucket.lastDirectory).appendingPathComponent("test-reports/capstan.xml")
        #expect(try String(contentsOf: report, encoding: .utf8).contains("<testsuite"))
        #expect(harness.capstanCommands == ["validate", "validate"])
    }

    /// The bot's SSH signing key (private key file, public key line) and an OpenPGP key
    /// standing in for GitHub's web-flow key, made by ssh-keygen and gpg.
    private func signingKeys(in root: URL) throws -> (key: URL, publicKey: String, webFlow: String) {
        let key = root.appendingPathComponent("release-bot")
        let keygen = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/ssh-keygen"), ["-q", "-t", "ed25519", "-N", "", "-C", "release-bot", "-f", key.path])
        guard keygen.status == 0 else { throw FixtureError("ssh-keygen: \(keygen.stderr)") }
        let home = root.appendingPathComponent("gnupg")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: home.path)
        let gpg = { (arguments: [String]) in
            try TestSupport.run(URL(fileURLWithPath: "/usr/bin/gpg"), ["--homedir", home.path, "--batch", "--pinentry-mode", "loopback", "--passphrase", ""] + arguments)
        }
        guard try gpg(["--quick-gen-key", "GitHub <noreply@github.com>", "ed25519", "sign", "never"]).status == 0 else { throw FixtureError("gpg could not make a key") }
        let webFlow = try gpg(["--armor", "--export", "noreply@github.com"]).stdout
        return (key, try String(contentsOf: key.appendingPathExtension("pub"), encoding: .utf8), webFlow)
    }

    @Test(arguments: [true, false])
    func githubPreMergeValidatesVerifiesAndCommentsTheAffectedApps(signed: Bool) throws {
        let keysRoot = try TestSupport.temporaryDirectory("pre-merge-keys")
        defer { try? FileManager.default.removeItem(at: keysRoot) }
        let keys = try signingKeys(in: keysRoot)
        let harness = try PipelineHarness(kind: "github", label: "pre-merge-\(signed)", extraFiles: [
            ".signing/keys/release-bot.pub": keys.publicKey, ".signing/github-web-flow.asc": keys.webFlow,
        ])
        // The PR under review: the release bot's bump, signed with its key (or not).
        let bump = try TestSupport.capstan(["update", "--branch", "capstan/checkout-1.9.0", "--set-image", "ghcr.io/acme/checkout:1.9.0",
                                            "--open-pr"] + harness.apiFlags + (signed ? ["--sign-key", keys.key.path] : []),
                                           environment: ["FORGE_TOKEN": harness.forge.token])
        #expect(bump.status == 0, "\(bump.stderr)")
        let head = try GitFixtures.git(["rev-parse", "capstan/checkout-1.9.0"], in: harness.bare).trimmingCharacters(in: .whitespacesAndNewlines)

        let workspace = try harness.directory("checkout")
        let authorization = "Authorization: Basic " + Data("x-access-token:\(harness.forge.token)".utf8).base64EncodedString()
        var run = ActionsWorkflowRun(harness: harness, context: [
            "github.base_ref": "main", "github.event.pull_request.head.sha": head, "secrets.GITHUB_TOKEN": harness.forge.token,
        ], environment: [
            "GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": harness.forge.webURL, "GITHUB_API_URL": harness.forge.webURL + "/api/v3",
            "GITHUB_REPOSITORY": PipelineHarness.project, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main",
            "GITHUB_HEAD_REF": "capstan/checkout-1.9.0", "GITHUB_REF": "refs/pull/1/merge", "GITHUB_WORKSPACE": workspace.path,
        ], workspace: workspace)
        // actions/checkout: the whole history (fetch-depth 0) at the ref asked for; the token
        // is sent for the clone only, as an extra header, and not kept.
        run.checkout = { with in
            #expect(with["fetch-depth"] == "0")
            try GitFixtures.git(["-c", "http.extraHeader=\(authorization)", "clone", "-q", harness.releaseURL, workspace.path])
            try GitFixtures.git(["checkout", "-q", "--detach", with["ref"] ?? "HEAD"], in: workspace)
        }
        try run.run(try PipelineHarness.pipeline("github-pre-merge.yml"))

        // The job token gets exactly what the steps need: nothing more, nothing missing.
        #expect(run.declaredPermissions["checks"] == ["contents": "read", "security-events": "write", "actions": "read", "pull-requests": "write"])
        #expect(run.neededPermissions["checks"] == run.declaredPermissions["checks"] ?? nil)
        let statuses = Dictionary(uniqueKeysWithValues: run.steps.map { ($0.name, $0.status) })
        #expect(statuses["Validate manifests (annotations on the PR)"] == 0, "\(harness.transcript)")
        #expect(try Data(contentsOf: workspace.appendingPathComponent("capstan.sarif")).count > 0)
        // The action uploads the SARIF even when validation fails (the runner skips that step).
        let upload = ActionsWorkflowRun.action.documents[0].root["runs"]?["steps"]?.items.first { $0["uses"]?.string?.contains("upload-sarif") == true }
        #expect(upload?["if"]?.string?.hasPrefix("always()") == true)
        let verified = try #require(statuses["Every commit signed by a release engineer or the bot"])
        let comments = harness.forge.comments
        if signed {
            #expect(verified == 0, "\(harness.transcript)")
            #expect(!run.failed, "\(harness.transcript)")
            #expect(comments.count == 1 && comments.first?["number"] as? Int == 1)
            let body = comments.first?["body"] as? String ?? ""
            #expect(body.contains("checkout"), "\(comments)")
            #expect(harness.capstanCommands == ["validate", "validate", "verify", "apps"])
        } else {
            #expect(verified != 0, "an unsigned commit passed verify")
            #expect(harness.transcript.contains("unsigned"), "\(harness.transcript)")
            #expect(run.failed)
            #expect(comments.isEmpty)
            #expect(harness.capstanCommands == ["validate", "validate", "verify"])
        }
        #expect(try harness.leakedSecrets().isEmpty, "a secret was printed:\n\(harness.transcript)")
        let check = try harness.forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }
}
