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
    /// Seconds the whole update may take, fetches and pushes included (`--timeout`).
    public var timeout: TimeInterval
    public var dryRun: Bool
    public var signer: CommitSigner?
    public var environment: [String: String]

    public static let defaultAuthor = CommitPerson(name: "Capstan", email: "capstan@users.noreply.invalid")

    public init(repository: String, base: String = "main", branch: String? = nil, plan: EditPlan, message: String? = nil,
                author: CommitPerson? = nil, credentials: CredentialOptions = CredentialOptions(),
                workDirectory: String? = nil, maxAttempts: Int = 10, timeout: TimeInterval = 300, dryRun: Bool = false, signer: CommitSigner? = nil,
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
        self.timeout = timeout
        self.dryRun = dryRun
        self.signer = signer
        self.environment = environment
    }
}

/// UpdateReleaseRepo up to the push: read the base branch's tip, apply the edit plan to
/// its tree straight from the object database (nothing is checked out), commit, push, and
/// read the branch back. A push is reported only once the branch is seen to hold the
/// commit; one that did not land (someone pushed first, or a transport that overwrote or
/// lost it) is not an error: read the new tip, re-apply the plan to it (a semantic
/// re-edit, not a textual rebase), commit and push again, with jittered backoff, up to
/// `maxAttempts` times, all within `timeout`.
///
/// A local repository (a path or `file://`) is edited in place: its objects are read and
/// the new ones written directly, and its branch moves by compare-and-swap, so no pack is
/// made and no clone copied. Any other remote is fetched into a cache (`--workdir`).
public struct UpdateStep: Sendable {
    public let options: UpdateOptions

    public init(options: UpdateOptions) {
        self.options = options
    }

    public func run(log: (String) -> Void = { _ in }) throws(UpdateError) -> UpdateOutcome {
        let url = RemoteURL(options.repository)
        let credentials = try CredentialResolver.resolve(options.credentials, for: url, environment: options.environment)
        guard options.maxAttempts >= 1 else { throw .usage("--max-attempts must be at least 1") }
        guard options.timeout > 0 else { throw .usage("--timeout must be more than 0 seconds") }
        var proxy = ProxyChoice.proxy(for: url, environment: options.environment)
        if url.scheme == .http, proxy != nil {
            // libgit2 1.5 sends a plain-HTTP request in proxy form straight to the server, not to the proxy.
            log("note: http_proxy is set, but Git over plain HTTP cannot go through a proxy here; connecting to \(url.host) directly")
            proxy = nil
        }
        let remoteOptions = RemoteOptions(deadline: Date().addingTimeInterval(options.timeout), proxy: proxy)
        if let bundle = options.credentials.caBundlePath {
            do { try LibGit2.trustCertificateAuthorities(file: bundle) } catch { throw .git(error) }
        }
        let release: ReleaseRemote
        if url.scheme == .file {
            release = try LocalRelease(url: url, base: options.base, branch: options.branch)
            if options.workDirectory != nil { log("a local repository is written in place; --workdir is not used") }
        } else {
            release = try NetworkRelease(url: url, credentials: credentials, options: remoteOptions, base: options.base,
                                         branch: options.branch, cache: ReleaseCache.open(options.workDirectory, url: url, log: log),
                                         readOnly: options.dryRun)
        }
        defer { release.close() }
        let repository = release.repository

        let target = options.branch ?? options.base
        var lastRejection = ""
        for attempt in 1...options.maxAttempts {
            if attempt > 1 { try backoff(attempt, deadline: remoteOptions.deadline) }
            let started = Date()
            let tips: ReleaseTips
            do { tips = try release.readTips() } catch { throw .git(error) }
            let baseTip = tips.base
            log("read \(options.base) (\(baseTip.hex.prefix(7))) in \(seconds(since: started))")

            let editStarted = Date()
            let result: EditResult
            let settings: CommitSettings
            let tree: CommitTree
            do {
                tree = try CommitTree(repository: repository, commit: baseTip)
                settings = try CommitSettings(options: options, config: try Self.config(in: tree))
                result = try TreeEditor(tree: tree, sha256: { Digest.sha256Hex($0) }).plan(settings.plan)
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
                let newTree = try repository.tree(ofCommit: baseTip, replacing: result.files.map { file in
                    (path: file.path, bytes: file.edited, executable: tree.isExecutable(file.path))
                })
                commit = try repository.commit(tree: newTree, parent: baseTip, author: settings.author, message: message,
                                               signer: settings.signer)
                if let botTip = tips.branch, options.branch != nil, try isSameChange(repository, botTip, as: commit, parent: baseTip) {
                    log("\(target) already holds this change (\(botTip.hex.prefix(7))); nothing to push")
                    return UpdateOutcome(url: url, options: options, target: target, result: result, commit: botTip,
                                         parent: baseTip, pushed: false, attempts: attempt, upToDate: true,
                                         pullRequestDefaults: settings.pullRequestDefaults)
                }
            } catch { throw .git(error) }

            let pushStarted = Date()
            let verdict: PushVerdict
            do { verdict = try release.publish(commit, to: target, over: options.branch != nil ? tips.branch : baseTip) } catch {
                throw .git(error)
            }
            if case let .rejected(reason) = verdict {
                lastRejection = reason
                log("push to \(target) rejected (\(reason)); re-applying on the new tip (attempt \(attempt) of \(options.maxAttempts))")
                continue
            }
            log("push took \(seconds(since: pushStarted)), and \(target) holds it")
            return UpdateOutcome(url: url, options: options, target: target, result: result, commit: commit,
                                 parent: baseTip, pushed: true, attempts: attempt, upToDate: false,
                                 pullRequestDefaults: settings.pullRequestDefaults)
        }
        throw .pushRejected(attempts: options.maxAttempts, reference: target, reason: lastRejection)
    }

    /// The release repository's .capstan.yaml at the base tip, read from the commit.
    private static func config(in tree: CommitTree) throws -> RepositoryConfig? {
        guard try tree.entry(RepositoryConfig.fileName) != nil else { return nil }
        let bytes = try tree.read(RepositoryConfig.fileName)
        return try RepositoryConfig.parse(bytes, path: RepositoryConfig.fileName, directory: ".")
    }

    /// Whether the bot branch's tip already is this change: same parent, same tree.
    private func isSameChange(_ repository: Repository, _ botTip: ObjectID, as commit: ObjectID, parent: ObjectID) throws(GitError) -> Bool {
        guard (try? repository.commitInfo(botTip)) != nil else { return false }
        let existing = try repository.commitInfo(botTip)
        let new = try repository.commitInfo(commit)
        return existing.parents == [parent] && existing.tree == new.tree
    }

    private func backoff(_ attempt: Int, deadline: Date?) throws(UpdateError) {
        let ceiling = min(2.0, 0.05 * pow(2.0, Double(attempt - 1)))
        let wait = Double.random(in: ceiling / 2...ceiling)
        if let deadline, Date().addingTimeInterval(wait) >= deadline {
            throw .git(GitError(operation: "update \(options.repository)", code: -1,
                                message: "timed out after \(Int(options.timeout)) s (--timeout) while others kept pushing first"))
        }
        Thread.sleep(forTimeInterval: wait)
    }

    private func seconds(since start: Date) -> String {
        String(format: "%.2f s", Date().timeIntervalSince(start))
    }
}
