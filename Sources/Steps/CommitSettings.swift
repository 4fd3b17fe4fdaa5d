import Edits
import Foundation
import Git

/// Pull request settings a release repository's .capstan.yaml gives (`pullRequest:`).
public struct PullRequestDefaults: Sendable, Codable, Hashable {
    public var title: String?
    public var body: String?
    public var labels: [String]
    public var reviewers: [String]
    public var draft: Bool
    public var mergeMethod: String?
}

/// What an update commits with, once the release repository's .capstan.yaml is known:
/// flags first, then the file, then Capstan's defaults.
struct CommitSettings {
    let author: CommitPerson
    let message: String?
    let signer: CommitSigner?
    let plan: EditPlan
    let pullRequestDefaults: PullRequestDefaults?

    init(options: UpdateOptions, config: RepositoryConfig?) throws(UpdateError) {
        if let author = options.author {
            self.author = author
        } else if let configured = config?.strings["commit.author"] {
            do {
                author = try CommitPerson(parsing: configured.value)
            } catch {
                throw .usage("\(config?.path ?? ""):\(configured.line): commit.author \(error)")
            }
        } else {
            author = UpdateOptions.defaultAuthor
        }
        message = options.message ?? config?.strings["commit.message"]?.value
        if let signer = options.signer {
            self.signer = signer
        } else if let variable = config?.strings["commit.signingKeyEnv"]?.value {
            signer = try Self.signer(fromVariable: variable, environment: options.environment)
        } else {
            signer = nil
        }
        plan = Self.plan(options.plan, config: config)
        pullRequestDefaults = config.map { config in
            PullRequestDefaults(title: config.strings["pullRequest.title"]?.value, body: config.strings["pullRequest.body"]?.value,
                                labels: config.lists["pullRequest.labels"]?.value ?? [],
                                reviewers: config.lists["pullRequest.reviewers"]?.value ?? [],
                                draft: config.flags["pullRequest.draft"]?.value ?? false,
                                mergeMethod: config.strings["pullRequest.mergeMethod"]?.value)
        }
    }

    /// Image edits with no `--path` look where .capstan.yaml's `images:` says each image
    /// lives, when it names every image asked for (and no chart edit needs the whole tree).
    private static func plan(_ plan: EditPlan, config: RepositoryConfig?) -> EditPlan {
        guard let config, plan.paths == ["."] else { return plan }
        var paths: [String] = []
        for edit in plan.edits {
            switch edit {
            case let .image(update):
                guard let configured = config.imagePaths.first(where: { ImageReference($0.key).map(update.matches) == true }) else {
                    return plan
                }
                paths += configured.value.value
            case .chart:
                return plan
            case .value:
                continue
            }
        }
        return paths.isEmpty ? plan : EditPlan(edits: plan.edits, paths: paths)
    }

    /// The signing key an environment variable holds: a path to the key file, or the armored
    /// key itself (as CI secrets usually are), which is read from a private temporary file.
    private static func signer(fromVariable variable: String, environment: [String: String]) throws(UpdateError) -> CommitSigner {
        guard let value = environment[variable], !value.isEmpty else {
            throw .usage(".capstan.yaml commit.signingKeyEnv names \(variable), which is not set")
        }
        var path = value
        var temporary: String?
        if !FileManager.default.fileExists(atPath: value) {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-key-\(UUID().uuidString)").path
            guard FileManager.default.createFile(atPath: file, contents: Data(value.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw .workDirectory("cannot write the signing key to a temporary file")
            }
            path = file
            temporary = file
        }
        defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
        do {
            return try CommitSigningKey(path: path, environment: environment).commitSigner
        } catch {
            throw .usage("signing key from \(variable): \(error.description)")
        }
    }
}
