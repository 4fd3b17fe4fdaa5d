import Edits
import Foundation
import Git
import Signatures

/// Everything `capstan update` needs, as plain values (the CLI fills it from flags).
public struct UpdateOptions: Sendable {
    public var repository: String
    public var base: String
    /// The bot branch to push; nil pushes to `base` itself (direct write-back).
    public var branch: String?
    public var plan: EditPlan
    public var message: String?
    /// nil: `commit.author` from the release repository's .capstan.yaml, else `defaultAuthor`.
    public var author: CommitPerson?
    public var credentials: CredentialOptions
    /// A cache work directory reused across runs (fetch instead of clone); nil uses a
    /// temporary directory removed afterwards.
    public var workDirectory: String?
    public var maxAttempts: Int
    public var dryRun: Bool
    public var signer: CommitSigner?
    public var environment: [String: String]

    public static let defaultAuthor = CommitPerson(name: "Capstan", email: "capstan@users.noreply.invalid")

    public init(repository: String, base: String = "main", branch: String? = nil, plan: EditPlan, message: String? = nil,
                author: CommitPerson? = nil, credentials: CredentialOptions = CredentialOptions(),
                workDirectory: String? = nil, maxAttempts: Int = 10, dryRun: Bool = false, signer: CommitSigner? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.repository = repository
        self.base = base
        self.branch = branch
        self.plan = plan
        self.message = message
        self.author = author
        self.credentials = credentials
        self.workDirectory = workDirectory
        self.maxAttempts = maxAttempts
        self.dryRun = dryRun
        self.signer = signer
        self.environment = environment
    }
}

/// UpdateReleaseRepo up to the push: fetch the base branch into a cache work directory,
/// check out its tip, apply the edit plan, commit, push. A push rejected because someone
/// pushed first is not an error: fetch, re-apply the plan to the new tip (a semantic
/// re-edit, not a textual rebase), commit and push again, with jittered backoff, up to
/// `maxAttempts` times.
public struct UpdateStep: Sendable {
    public let options: UpdateOptions

    public init(options: UpdateOptions) {
        self.options = options
    }

    public func run(log: (String) -> Void = { _ in }) throws(UpdateError) -> UpdateOutcome {
        let url = RemoteURL(options.repository)
        let credentials = try CredentialResolver.resolve(options.credentials, for: url, environment: options.environment)
        guard options.maxAttempts >= 1 else { throw .usage("--max-attempts must be at least 1") }
        if url.scheme == .file, !FileManager.default.fileExists(atPath: url.url.hasPrefix("file://") ? String(url.url.dropFirst(7)) : url.url) {
            throw .usage("--repo \(url.url): no such directory; give the release repository's URL (https://…, ssh://… or git@host:…) or the path of a local repository")
        }
        if let bundle = options.credentials.caBundlePath {
            do { try LibGit2.trustCertificateAuthorities(file: bundle) } catch { throw .git(error) }
        }
        let (directory, temporary) = try prepareDirectory()
        defer { if temporary { try? FileManager.default.removeItem(atPath: directory) } }
        let repository: Repository
        do {
            repository = FileManager.default.fileExists(atPath: directory + "/.git")
                ? try Repository.open(directory) : try Repository.create(directory, bare: false)
            try repository.setConfig("remote.origin.url", url.url)
        } catch { throw .git(error) }
        let lock: WorkDirectoryLock
        do { lock = try WorkDirectoryLock(gitDirectory: directory + "/.git") } catch { throw .git(error) }
        defer { withExtendedLifetime(lock) {} }

        let target = options.branch ?? options.base
        var lastRejection = ""
        for attempt in 1...options.maxAttempts {
            if attempt > 1 { backoff(attempt) }
            let started = Date()
            let baseTip: ObjectID
            let botTip: ObjectID?
            do {
                (baseTip, botTip) = try fetch(repository, url: url, credentials: credentials)
            } catch { throw .git(error) }
            log("fetched \(options.base) (\(baseTip.hex.prefix(7))) in \(seconds(since: started))")

            let editStarted = Date()
            let result: EditResult
            let settings: CommitSettings
            do {
                try repository.checkoutDetached(baseTip)
                settings = try CommitSettings(options: options, config: try RepositoryConfig.load(near: directory))
                let editor = TreeEditor(tree: try FileTree(root: directory), sha256: { Digest.sha256Hex($0) })
                result = try editor.plan(settings.plan)
                if !options.dryRun { try editor.write(result) }
            } catch let error as GitError {
                throw .git(error)
            } catch let error as EditError {
                throw .edit(error)
            } catch let error as ConfigError {
                throw .config(error)
            } catch let error as UpdateError {
                throw error
            } catch {
                throw .workDirectory(String(describing: error))
            }
            log("edited \(result.files.count) file\(result.files.count == 1 ? "" : "s") in \(seconds(since: editStarted))")
            if result.isEmpty || options.dryRun {
                return UpdateOutcome(url: url, options: options, target: target, result: result, commit: nil,
                                     parent: baseTip, pushed: false, attempts: attempt, upToDate: result.isEmpty,
                                     pullRequestDefaults: settings.pullRequestDefaults)
            }

            let message = CommitMessage(edits: options.plan.edits, result: result, template: settings.message).text
            let commit: ObjectID
            do {
                commit = try repository.commit(paths: result.files.map(\.path), parent: baseTip, author: settings.author,
                                               message: message, signer: settings.signer)
                if let botTip, options.branch != nil, try isSameChange(repository, botTip, as: commit, parent: baseTip) {
                    log("\(target) already holds this change (\(botTip.hex.prefix(7))); nothing to push")
                    return UpdateOutcome(url: url, options: options, target: target, result: result, commit: botTip,
                                         parent: baseTip, pushed: false, attempts: attempt, upToDate: true,
                                         pullRequestDefaults: settings.pullRequestDefaults)
                }
                try repository.setReference("refs/capstan/outgoing", to: commit, message: "capstan update")
            } catch { throw .git(error) }

            let pushStarted = Date()
            let force = options.branch != nil ? "+" : ""
            let results: [PushResult]
            do {
                results = try repository.push(to: url, refspecs: ["\(force)refs/capstan/outgoing:refs/heads/\(target)"], credentials: credentials)
            } catch { throw .git(error) }
            if let rejected = results.first(where: { !$0.accepted }) {
                lastRejection = rejected.rejection ?? "rejected"
                log("push to \(target) rejected (\(lastRejection)); re-applying on the new tip (attempt \(attempt) of \(options.maxAttempts))")
                continue
            }
            log("push took \(seconds(since: pushStarted))")
            return UpdateOutcome(url: url, options: options, target: target, result: result, commit: commit,
                                 parent: baseTip, pushed: true, attempts: attempt, upToDate: false,
                                 pullRequestDefaults: settings.pullRequestDefaults)
        }
        throw .pushRejected(attempts: options.maxAttempts, reference: target, reason: lastRejection)
    }

    private func prepareDirectory() throws(UpdateError) -> (String, Bool) {
        if let directory = options.workDirectory {
            let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw .workDirectory("--workdir \(directory) is a file") }
                let contents = (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []
                guard contents.isEmpty || contents.contains(".git") else {
                    throw .workDirectory("--workdir \(directory) is neither empty nor a Capstan cache (no .git)")
                }
            } else {
                do { try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true) } catch {
                    throw .workDirectory("cannot create --workdir \(directory): \(error.localizedDescription)")
                }
            }
            return (absolute, false)
        }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-\(UUID().uuidString)").path
        do { try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true) } catch {
            throw .workDirectory("cannot create a temporary directory: \(error.localizedDescription)")
        }
        return (temporary, true)
    }

    /// Fetches the base branch (and the bot branch, when it exists on the remote).
    private func fetch(_ repository: Repository, url: RemoteURL, credentials: Credentials) throws(GitError) -> (ObjectID, ObjectID?) {
        let baseRef = "refs/remotes/origin/\(options.base)"
        var refspecs = ["+refs/heads/\(options.base):\(baseRef)"]
        if let branch = options.branch { refspecs.append("+refs/heads/\(branch):refs/remotes/origin/\(branch)") }
        do {
            try repository.fetch(from: url, refspecs: refspecs, credentials: credentials)
        } catch let error where options.branch != nil && error.isNotFound {
            // The bot branch does not exist yet: fetch the base alone.
            try repository.fetch(from: url, refspecs: [refspecs[0]], credentials: credentials)
            if let branch = options.branch { try repository.deleteReference("refs/remotes/origin/\(branch)") }
        }
        guard let baseTip = try repository.target(of: baseRef) else {
            throw GitError(operation: "fetch \(url)", code: -3, message: "the remote has no branch \(options.base)")
        }
        let botTip = try options.branch.flatMap { branch throws(GitError) in try repository.target(of: "refs/remotes/origin/\(branch)") }
        return (baseTip, botTip)
    }

    /// Whether the bot branch's tip already is this change: same parent, same tree.
    private func isSameChange(_ repository: Repository, _ botTip: ObjectID, as commit: ObjectID, parent: ObjectID) throws(GitError) -> Bool {
        let existing = try repository.commitInfo(botTip)
        let new = try repository.commitInfo(commit)
        return existing.parents == [parent] && existing.tree == new.tree
    }

    private func backoff(_ attempt: Int) {
        let ceiling = min(2.0, 0.05 * pow(2.0, Double(attempt - 1)))
        Thread.sleep(forTimeInterval: Double.random(in: ceiling / 2...ceiling))
    }

    private func seconds(since start: Date) -> String {
        String(format: "%.2f s", Date().timeIntervalSince(start))
    }
}
