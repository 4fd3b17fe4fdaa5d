import Foundation
import Git

/// A throw-away checkout of the release repository at a commit, for `capstan wait` in a
/// pipeline step that has none (an image without git, a job that never cloned): every
/// branch fetched through libgit2, the commit checked out with HEAD detached.
public struct ReleaseCheckout: Sendable {
    /// The work tree; removed by `remove()`.
    public let path: String

    public static func make(remote: String, commit: String, credentials: CredentialOptions,
                            environment: [String: String]) throws(WaitError) -> ReleaseCheckout {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-wait-\(UUID().uuidString)").path
        do {
            let url = RemoteURL(remote)
            let resolved = try CredentialResolver.resolve(credentials, for: url, environment: environment)
            let repository = try Repository.create(path, bare: false)
            try repository.fetch(from: url, refspecs: ["+refs/heads/*:refs/remotes/origin/*"], credentials: resolved)
            try repository.checkoutDetached(try repository.resolve(commit + "^{commit}"))
            return ReleaseCheckout(path: path)
        } catch let error as GitError {
            try? FileManager.default.removeItem(atPath: path)
            throw .usage("cannot check out \(commit) of \(remote): \(error)")
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw .usage("cannot check out \(commit) of \(remote): \(error)")
        }
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
