import Foundation
import Validation
import YAML

/// Every app the reconcilers deploy from a release repository, found by reading it.
public struct AppCatalog: Sendable {
    public let apps: [LinkedApp]
    /// The repository URLs that count as "this repository" (normalised).
    public let repositoryURLs: [String]
    /// What a reader should know about how the catalog was built.
    public let notes: [String]

    /// Reads the work tree at `root`. `repositoryURL` (else the remotes in its
    /// `.git/config`) says which Argo CD `repoURL`s and Flux GitRepositories are this
    /// repository; with neither, a source counts as this repository when its path exists here.
    public static func discover(root: String, repositoryURL: String? = nil) throws(AppsError) -> AppCatalog {
        let tree = try ReleaseTree(root: root)
        let given = repositoryURL.map { [$0] } ?? RepositoryURL.remotes(ofWorkTree: root)
        let urls = Set(given.map(RepositoryURL.init))
        var notes: [String] = []
        if urls.isEmpty {
            notes.append("no --repo-url and no Git remote: sources whose path exists in this tree count as this repository")
        }
        let objects = try ReconcilerObjects.scan(tree)
        let isThisRepository: (String?) -> Bool = { url in
            guard let url else { return false }
            return urls.isEmpty ? true : urls.contains(RepositoryURL(url))
        }
        let argo = ArgoAppBuilder(tree: tree, isThisRepository: isThisRepository)
        var apps: [LinkedApp] = []
        for found in objects.applications {
            apps.append(try argo.app(ArgoAppSpec(object: found.resource.node, render: { $0 }), definedIn: found.file))
        }
        for found in objects.applicationSets {
            apps += try ApplicationSetBuilder(tree: tree, argo: argo, isThisRepository: isThisRepository).apps(found)
        }
        apps += try FluxAppBuilder(tree: tree, objects: objects, repositoryURLs: urls).apps()
        return AppCatalog(apps: apps.sorted(by: LinkedApp.precedes), repositoryURLs: urls.map(\.key).sorted(), notes: notes)
    }
}
