import Foundation
import Validation
import YAML

/// The reconciler objects found in the repository, by kind, each with the file it sits in.
struct ReconcilerObjects {
    struct Found {
        let resource: Resource
        let file: String
    }

    struct GitSource {
        let name: String
        let namespace: String?
        let url: String
    }

    var applications: [Found] = []
    var applicationSets: [Found] = []
    var fluxKustomizations: [Found] = []
    var helmReleases: [Found] = []
    /// Flux 2.7 ArtifactGenerators (`source.extensions.fluxcd.io`).
    var artifactGenerators: [Found] = []
    var gitRepositories: [GitSource] = []
    /// Files passed over because they cannot be read safely (links, devices, too large), with why.
    var unread: [String] = []

    /// Reads every YAML/JSON file that mentions an Argo CD or Flux API group.
    static func scan(_ tree: ReleaseTree) throws(AppsError) -> ReconcilerObjects {
        var objects = ReconcilerObjects()
        let discovered = FileDiscovery().discover([tree.root]).files
        let prefix = tree.root.hasSuffix("/") ? tree.root : tree.root + "/"
        let relatives = discovered.map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
        let patches = try patchFiles(among: relatives, in: tree)
        for relative in relatives where !patches.contains(relative) {
            let bytes: [UInt8]
            do {
                guard let read = try tree.read(relative) else { continue }
                bytes = read
            } catch {
                objects.unread.append(error.description)
                continue
            }
            guard Self.mentionsReconciler(bytes) else { continue }
            guard let file = try tree.parse(relative) else { continue }
            for document in file.documents {
                guard let resource = Resource(document.root) else { continue }
                let found = Found(resource: resource, file: relative)
                let gvk = resource.gvk
                switch (gvk.group, gvk.kind) {
                case ("argoproj.io", "Application"): objects.applications.append(found)
                case ("argoproj.io", "ApplicationSet"): objects.applicationSets.append(found)
                case ("kustomize.toolkit.fluxcd.io", "Kustomization"): objects.fluxKustomizations.append(found)
                case ("helm.toolkit.fluxcd.io", "HelmRelease"): objects.helmReleases.append(found)
                case ("source.extensions.fluxcd.io", "ArtifactGenerator"): objects.artifactGenerators.append(found)
                case ("source.toolkit.fluxcd.io", "GitRepository"):
                    if let name = resource.name, let url = resource.value("spec.url")?.string {
                        objects.gitRepositories.append(GitSource(name: name, namespace: resource.namespace, url: url))
                    }
                default: break
                }
            }
        }
        return objects
    }

    /// Files kustomizations name as patches: partial objects (a HelmRelease patch is no HelmRelease).
    private static func patchFiles(among files: [String], in tree: ReleaseTree) throws(AppsError) -> Set<String> {
        var patches = Set<String>()
        for file in files where KustomizationReferences.isKustomizationFile(file) {
            guard let parsed = try tree.parse(file) else { continue }
            let directory = PathNormaliser.directory(of: file)
            for document in parsed.documents {
                for reference in KustomizationReferences.references(in: document.root.resolved)
                where reference.isPatch && !KustomizationReferences.isRemote(reference.path) {
                    patches.insert(tree.join(directory, reference.path))
                }
            }
        }
        return patches
    }

    /// A cheap byte test before parsing: only files naming argoproj.io or fluxcd.io can hold a reconciler object.
    private static func mentionsReconciler(_ bytes: [UInt8]) -> Bool {
        let data = Data(bytes)
        return data.range(of: Data("argoproj.io".utf8)) != nil || data.range(of: Data("fluxcd.io".utf8)) != nil
    }
}
