import Forges
import Foundation
import Git

/// `pullRequest.mergeMethod` of the release repository's .capstan.yaml, for `pr merge` and
/// `pr revert --merge` when no --method is given. Those commands run in the application
/// repository's CI with --repo naming the release repository, so the file is read where the
/// PR lands: at the tip of the PR's base branch, fetched with libgit2 into a temporary bare
/// repository. Without --repo, the nearest .capstan.yaml of the working directory is read.
public struct ConfiguredMergeMethod: Sendable {
    /// The release repository's remote URL; empty: read the working directory's file.
    public let repository: String
    public let credentials: CredentialOptions
    public let environment: [String: String]
    public let workingDirectory: String

    public init(repository: String, credentials: CredentialOptions, environment: [String: String],
                workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.repository = repository
        self.credentials = credentials
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// The configured method for `base`, with the file it came from; nil when none is set.
    public func read(base: String) throws(PullRequestError) -> (method: MergeMethod, source: String)? {
        let config: RepositoryConfig?
        do {
            config = repository.isEmpty ? try RepositoryConfig.load(near: workingDirectory) : try fetch(base: base)
        } catch {
            throw .usage("\(error); give --method to merge without reading it")
        }
        guard let config, let setting = config.strings["pullRequest.mergeMethod"] else { return nil }
        guard let method = MergeMethod(rawValue: setting.value) else {
            throw .usage("\(config.path):\(setting.line): pullRequest.mergeMethod is \(setting.value); "
                + "expected \(MergeMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return (method, config.path)
    }

    /// .capstan.yaml at the tip of `base` on the remote, or nil when the branch has none.
    private func fetch(base: String) throws -> RepositoryConfig? {
        let url = RemoteURL(repository)
        let resolved = try CredentialResolver.resolve(credentials, for: url, environment: environment)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-config-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let local = try Repository.create(directory, bare: true)
        let reference = "refs/remotes/origin/\(base)"
        try local.fetch(from: url, refspecs: ["+refs/heads/\(base):\(reference)"], credentials: resolved)
        guard let tip = try local.target(of: reference) else {
            throw PullRequestError.usage("reading \(RepositoryConfig.fileName): \(url) has no branch \(base)")
        }
        guard let bytes = try local.fileContents(at: RepositoryConfig.fileName, in: tip) else { return nil }
        return try RepositoryConfig.parse(bytes, path: "\(url) \(base):\(RepositoryConfig.fileName)", directory: "")
    }
}
