/// The forges Capstan drives.
public enum ForgeKind: String, Sendable, Codable, CaseIterable {
    case github, gitlab, gitea, forgejo
    case bitbucketCloud = "bitbucket-cloud"
    case bitbucketDataCenter = "bitbucket-datacenter"
    case azure = "azure-devops"
}
