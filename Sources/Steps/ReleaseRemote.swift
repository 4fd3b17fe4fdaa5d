import Foundation
import Git
import Words

/// The tips `update` builds on: the base branch's, and the bot branch's when it exists.
struct ReleaseTips {
    let base: ObjectID
    let branch: ObjectID?
}

/// Whether a push landed: only a branch read back holding the commit counts.
enum PushVerdict {
    case landed
    case rejected(String)
}

/// The release repository as `update` writes to it: where its objects are read and
/// written, how its tips are read, how a commit is published and checked.
protocol ReleaseRemote {
    /// The repository the edit reads blobs from and writes new objects into.
    var repository: Repository { get }
    func readTips() throws(GitError) -> ReleaseTips
    /// Moves `branch` from `expected` to `commit`, then reads it back.
    func publish(_ commit: ObjectID, to branch: String, over expected: ObjectID?) throws(GitError) -> PushVerdict
    func close()
}

extension ReleaseRemote {
    /// Reads `branch` back after a push: it must be `commit`, or (someone fast-forwarded
    /// on top meanwhile) contain it.
    func verify(_ commit: ObjectID, on branch: String, tip: ObjectID?) throws(GitError) -> PushVerdict {
        guard let tip else { return .rejected("\(branch) is gone after the push") }
        if try repository.contains(tip, commit) { return .landed }
        return .rejected("read back after the push, \(branch) is at \(tip.hex.prefix(7)), which does not hold \(commit.hex.prefix(7))")
    }
}

/// A repository on this machine (a path or `file://`), written in place: no clone, no
/// pack; the branch moves by compare-and-swap.
struct LocalRelease: ReleaseRemote {
    let repository: Repository
    let base: String
    let branch: String?

    init(url: RemoteURL, base: String, branch: String?) throws(UpdateError) {
        let path = url.url.hasPrefix("file://") ? String(url.url.dropFirst(7)) : url.url
        guard FileManager.default.fileExists(atPath: path) else {
            throw .usage("--repo \(url.url): no such directory; give the release repository's URL (https://…, ssh://… or git@host:…) or the path of a local repository")
        }
        do { repository = try Repository.open(path) } catch { throw .git(error) }
        if repository.isCheckedOut("refs/heads/" + (branch ?? base)) {
            throw .usage("--repo \(url.url) has \(branch ?? base) checked out in a work tree; Capstan will not move a branch under "
                + "someone's files (as git push refuses): give a bare repository")
        }
        self.base = base
        self.branch = branch
    }

    func readTips() throws(GitError) -> ReleaseTips {
        guard let baseTip = try repository.target(of: "refs/heads/\(base)") else {
            throw GitError(operation: "read \(repository.path)", code: -3, message: "the remote has no branch \(base)")
        }
        return ReleaseTips(base: baseTip, branch: try branch.flatMap { name throws(GitError) in try repository.target(of: "refs/heads/\(name)") })
    }

    func publish(_ commit: ObjectID, to branch: String, over expected: ObjectID?) throws(GitError) -> PushVerdict {
        let name = "refs/heads/\(branch)"
        guard try repository.compareAndSwap(name, from: expected, to: commit, message: "capstan update") else {
            return .rejected("\(branch) moved meanwhile")
        }
        return try verify(commit, on: branch, tip: try repository.target(of: name))
    }

    func close() {}
}

/// A remote reached over HTTP(S) or SSH, its objects kept in a cache work directory.
/// When the cache holds the tips the server advertises to a push, the attempt builds on
/// them and pushes over that same connection: the server moves the branch only from the
/// tips it advertised, and a warm run asks for the references once before pushing, not
/// twice. Otherwise (a new cache, a cache behind the remote, an attempt after a rejected
/// push) the tips are fetched first and the push connects afresh, so no connection sits
/// idle through a fetch. A dry run, or a token the server will not let push, reads the
/// tips with a fetch alone.
final class NetworkRelease: ReleaseRemote {
    let url: RemoteURL
    let credentials: Credentials
    let options: RemoteOptions
    let base: String
    let branch: String?
    let cache: ReleaseCache
    let readOnly: Bool
    /// The connection the tips were read from, which the push goes over.
    private var connection: PushConnection?
    /// Set when a push was rejected: the cache is behind, so the next attempt fetches first.
    private var behind = false

    init(url: RemoteURL, credentials: Credentials, options: RemoteOptions, base: String, branch: String?, cache: ReleaseCache,
         readOnly: Bool) {
        self.url = url
        self.credentials = credentials
        self.options = options
        self.base = base
        self.branch = branch
        self.cache = cache
        self.readOnly = readOnly
    }

    var repository: Repository { cache.repository }

    func readTips() throws(GitError) -> ReleaseTips {
        connection = nil
        if !readOnly, !behind, try repository.target(of: "refs/remotes/origin/\(base)") != nil, let tips = try advertisedTips() {
            return tips
        }
        return try fetchTips()
    }

    /// The tips a push connection advertises, when the cache holds them all; the
    /// connection is kept for the push. nil when a fetch is needed first.
    private func advertisedTips() throws(GitError) -> ReleaseTips? {
        let connection: PushConnection
        do {
            connection = try repository.connectForPush(to: url, credentials: credentials, options: options)
        } catch let error where !error.message.contains("timed out") && !error.message.contains("redirect") {
            // Perhaps a token or key that may read but not push (HTTP 401/403, an SSH server
            // refusing git-receive-pack as read-only): there may be nothing to push. The fetch
            // that follows, or the push if there is one, fails with its own words otherwise.
            return nil
        }
        guard let baseTip = connection.references["refs/heads/\(base)"] else {
            throw GitError(operation: "read the references of \(url)", code: -3, message: "the remote has no branch \(base)")
        }
        let botTip = branch.flatMap { connection.references["refs/heads/\($0)"] }
        guard repository.hasCommit(baseTip), botTip.map(repository.hasCommit) ?? true else { return nil }
        self.connection = connection
        return ReleaseTips(base: baseTip, branch: botTip)
    }

    /// Fetches the base branch (and the bot branch, when it exists) into the cache.
    private func fetchTips() throws(GitError) -> ReleaseTips {
        let baseRef = "refs/remotes/origin/\(base)"
        var refspecs = ["+refs/heads/\(base):\(baseRef)"]
        if let branch { refspecs.append("+refs/heads/\(branch):refs/remotes/origin/\(branch)") }
        do {
            try repository.fetch(from: url, refspecs: refspecs, credentials: credentials, options: options)
        } catch let error where branch != nil && error.isNotFound {
            // The bot branch does not exist yet: fetch the base alone.
            try repository.fetch(from: url, refspecs: [refspecs[0]], credentials: credentials, options: options)
            if let branch { try repository.deleteReference("refs/remotes/origin/\(branch)") }
        }
        guard let baseTip = try repository.target(of: baseRef) else {
            throw GitError(operation: "fetch \(url)", code: -3, message: "the remote has no branch \(base)")
        }
        let botTip = try branch.flatMap { name throws(GitError) in try repository.target(of: "refs/remotes/origin/\(name)") }
        return ReleaseTips(base: baseTip, branch: botTip)
    }

    func publish(_ commit: ObjectID, to target: String, over expected: ObjectID?) throws(GitError) -> PushVerdict {
        let verdict = try pushAndReadBack(commit, to: target)
        if case .rejected = verdict { behind = true }
        return verdict
    }

    private func pushAndReadBack(_ commit: ObjectID, to target: String) throws(GitError) -> PushVerdict {
        try repository.setReference("refs/capstan/outgoing", to: commit, message: "capstan update")
        let force = branch != nil ? "+" : ""
        let connection: PushConnection
        if let held = self.connection { connection = held } else {
            connection = try repository.connectForPush(to: url, credentials: credentials, options: options)
        }
        self.connection = nil
        let results = try connection.push(["\(force)refs/capstan/outgoing:refs/heads/\(target)"])
        // The reason is the server's (a hook's or a policy's words): one printable line, cut.
        if let rejected = results.first(where: { !$0.accepted }) { return .rejected(ForeignWords.line(rejected.rejection ?? "rejected")) }
        let name = "refs/heads/\(target)"
        guard var tip = try repository.remoteReferences(at: url, credentials: credentials, options: options)[name] else {
            return .rejected("\(target) is gone after the push")
        }
        if tip != commit {
            // Someone may have built on it already: fetch what the branch holds now to see. It
            // may have moved again (a bot branch is force-pushed), so judge what was fetched.
            let fetched = "refs/remotes/origin/\(target)"
            try repository.fetch(from: url, refspecs: ["+\(name):\(fetched)"], credentials: credentials, options: options)
            tip = try repository.target(of: fetched) ?? tip
        }
        return try verify(commit, on: target, tip: tip)
    }

    func close() {
        connection = nil
        cache.close()
    }
}
