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
    /// repository; with neither, it is inferred from the Flux bootstrap GitRepository and
    /// the Argo CD repoURLs whose source paths exist in this tree.
    public static func discover(root: String, repositoryURL: String? = nil) throws(AppsError) -> AppCatalog {
        let tree = try ReleaseTree(root: root)
        let given = repositoryURL.map { [$0] } ?? RepositoryURL.remotes(ofWorkTree: root)
        var urls = Set(given.map(RepositoryURL.init))
        var notes: [String] = []
        let objects = try ReconcilerObjects.scan(tree)
        if !objects.unread.isEmpty {
            notes.append("not read: " + objects.unread.joined(separator: "; "))
        }
        if urls.isEmpty {
            urls = inferredURLs(objects, tree: tree)
            let list = urls.map(\.key).sorted().joined(separator: ", ")
            notes.append(urls.isEmpty ? "no --repo-url, no Git remote, and no source path found in this tree"
                                      : "no --repo-url and no Git remote: taking this repository to be \(list) (the sources whose paths exist here)")
        }
        let isThisRepository: (String?) -> Bool = { url in
            guard let url, !RepositoryURL.isOCI(url) else { return false }
            return urls.contains(RepositoryURL(url))
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

    /// Without a URL to go by: the Flux bootstrap GitRepositories (`flux-system`) and the
    /// Argo CD repoURLs whose source paths exist in this tree (never an `oci://` registry,
    /// whose `path: .` exists everywhere).
    private static func inferredURLs(_ objects: ReconcilerObjects, tree: ReleaseTree) -> Set<RepositoryURL> {
        var urls = Set(objects.gitRepositories.filter { $0.name == "flux-system" }.map { RepositoryURL($0.url) })
        let templates = objects.applicationSets.compactMap { $0.resource.value("spec.template") }
        for object in objects.applications.map(\.resource.node) + templates {
            for source in ArgoAppSpec(object: object, render: { $0 }).sources {
                guard let url = source.repoURL, !RepositoryURL.isOCI(url), let path = source.path, !GeneratorTemplate.isTemplated(path),
                      tree.isDirectory(PathNormaliser.normalise(path)) else { continue }
                urls.insert(RepositoryURL(url))
            }
        }
        return urls
    }
}
