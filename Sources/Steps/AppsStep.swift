import Apps
import Edits
import Foundation
import Git

/// What `capstan apps` looks at.
public struct AppsOptions: Sendable {
    /// The change to judge: none (list every app), a commit range, or paths.
    public enum Change: Sendable {
        case none
        case range(String)
        case files([String])
    }

    /// The release repository's work tree (checked out at the change's head).
    public var repository: String
    public var change: Change
    /// The URL Argo CD and Flux clone this repository from; default: its Git remotes.
    public var repositoryURL: String?

    public init(repository: String = ".", change: Change = .none, repositoryURL: String? = nil) {
        self.repository = repository
        self.change = change
        self.repositoryURL = repositoryURL
    }
}

/// Why `capstan apps` could not finish.
public enum AppsStepError: Error, Sendable, CustomStringConvertible {
    case apps(AppsError)
    case git(GitError)
    case usage(String)
    case notify(NotifyError)

    public var description: String {
        switch self {
        case let .apps(error): error.description
        case let .git(error): "git: \(error)"
        case let .usage(message): message
        case let .notify(error): error.description
        }
    }
}

/// `capstan apps` (FetchLinkedApps): the apps a release repository deploys, and which of
/// them a change alters.
public struct AppsStep: Sendable {
    public let options: AppsOptions

    public init(options: AppsOptions) {
        self.options = options
    }

    public func run() throws(AppsStepError) -> AppsOutcome {
        let catalog: AppCatalog
        do {
            catalog = try AppCatalog.discover(root: options.repository, repositoryURL: options.repositoryURL)
        } catch {
            throw .apps(error)
        }
        switch options.change {
        case .none:
            return AppsOutcome(catalog: catalog, range: nil, changedPaths: nil, affected: nil)
        case let .files(paths):
            let relative = try paths.map { path throws(AppsStepError) in try repositoryRelative(path) }
            return AppsOutcome(catalog: catalog, range: nil, changedPaths: relative,
                               affected: ChangeImpact.affected(by: relative, in: catalog))
        case let .range(range):
            let changed = try changedPaths(range)
            let affected = ChangeImpact.affected(by: changed.paths, in: catalog)
            var outcome = AppsOutcome(catalog: catalog, range: range, changedPaths: changed.paths, affected: affected,
                                      base: changed.base.hex, head: changed.head.hex)
            outcome.diffs = try diffs(of: changed.changes, tiedTo: affected, base: changed.base, head: changed.head)
            return outcome
        }
    }

    /// The paths BASE..HEAD touches (both sides of a rename), from libgit2's tree diff.
    private func changedPaths(_ range: String) throws(AppsStepError)
        -> (paths: [String], changes: [ChangedPath], base: ObjectID, head: ObjectID) {
        let parts = range.components(separatedBy: "..")
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[1].hasPrefix(".") else {
            throw .usage("--changed wants BASE..HEAD, got \(range)")
        }
        do {
            let repository = try Repository.open(options.repository)
            let base = try repository.resolve(parts[0] + "^{commit}")
            let head = try repository.resolve(parts[1] + "^{commit}")
            let changes = try repository.changedPaths(from: base, to: head)
            var paths: [String] = []
            for change in changes {
                paths.append(change.oldPath)
                if change.newPath != change.oldPath { paths.append(change.newPath) }
            }
            return (paths, changes, base, head)
        } catch {
            throw .git(error)
        }
    }

    /// Unified diffs (base → head) of the changed text files that tie an app to the
    /// change, keyed by path: for plain manifests this is the rendered change itself.
    private func diffs(of changes: [ChangedPath], tiedTo affected: [AffectedApp], base: ObjectID,
                       head: ObjectID) throws(AppsStepError) -> [String: String] {
        let tied = Set(affected.flatMap { $0.files.map(\.path) })
        var diffs: [String: String] = [:]
        do {
            let repository = try Repository.open(options.repository)
            for change in changes where tied.contains(change.newPath) || tied.contains(change.oldPath) {
                let old = try repository.fileContents(at: change.oldPath, in: base) ?? []
                let new = try repository.fileContents(at: change.newPath, in: head) ?? []
                guard !old.contains(0), !new.contains(0) else { continue }
                let diff = UnifiedDiff.make(from: old, to: new, path: change.newPath)
                diffs[change.newPath] = diff
                diffs[change.oldPath] = diff
            }
        } catch {
            throw .git(error)
        }
        return diffs
    }

    /// A --files path made relative to the repository root: relative paths are taken as
    /// repository-relative (as `git diff --name-only` prints them), absolute ones must lie inside it.
    private func repositoryRelative(_ path: String) throws(AppsStepError) -> String {
        let root = URL(fileURLWithPath: options.repository).standardizedFileURL.path
        if path.hasPrefix("/") {
            let standard = URL(fileURLWithPath: path).standardizedFileURL.path
            guard standard.hasPrefix(root + "/") else { throw .apps(.outsideRepository(path)) }
            return String(standard.dropFirst(root.count + 1))
        }
        var relative = path
        while relative.hasPrefix("./") { relative.removeFirst(2) }
        guard !relative.hasPrefix("../") else { throw .apps(.outsideRepository(path)) }
        return relative
    }
}
