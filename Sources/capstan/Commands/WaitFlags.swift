import ArgumentParser
import Forges
import Foundation
import Reconcilers
import Steps

/// Where Flux's rollout state is read.
enum FluxSource: String, ExpressibleByArgument {
    case cluster, forge
}

/// Where Argo CD's API is and which variable holds its token.
struct ArgoFlags: ParsableArguments {
    @Option(name: .customLong("argocd-server"), help: "Argo CD API server URL (https://argocd.example.com).")
    var server: String?

    @Option(name: .customLong("argocd-token-env"), help: "Environment variable holding the Argo CD token.")
    var tokenVariable = "ARGOCD_AUTH_TOKEN"

    func client(environment: [String: String], transport: any ReconcilerTransport) throws(WaitError) -> ArgoCDClient? {
        guard let server else { return nil }
        guard let url = URL(string: server), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw .usage("--argocd-server \(server) is not an http(s) URL")
        }
        guard let token = environment[tokenVariable], !token.isEmpty else {
            throw .usage("--argocd-server needs a token in $\(tokenVariable)")
        }
        return ArgoCDClient(server: url, token: token, transport: transport)
    }
}

/// How to reach the Kubernetes API for Flux objects.
struct FluxFlags: ParsableArguments {
    @Option(help: "A kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account when Flux apps are waited for).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context (default: its current-context).")
    var kubeContext: String?

    @Option(name: .customLong("flux-namespace"), help: "Namespace of Flux objects whose manifests name none.")
    var namespace = "flux-system"

    @Option(name: .customLong("cluster-context"), help: ArgumentHelp(
        "For apps on several clusters: the kubeconfig context of a catalog cluster (repeatable; default: the context named like the cluster).",
        valueName: "CLUSTER=CONTEXT"))
    var clusterContexts: [String] = []

    /// Per catalog cluster, the client of its kubeconfig context (given with
    /// --cluster-context, else the context of the cluster's name); nil when there is none.
    func clusterClients(environment: [String: String], transport: any ReconcilerTransport) throws(WaitError) -> FluxClusterClients? {
        guard let path = kubeconfig ?? KubernetesConnection.defaultKubeconfigPath(environment: environment) else { return nil }
        var mapping: [String: String] = [:]
        for pair in clusterContexts {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw .usage("--cluster-context \(pair): not CLUSTER=CONTEXT") }
            mapping[parts[0]] = parts[1]
        }
        let contexts: [String]
        do { contexts = try KubernetesConnection.contextNames(inKubeconfigAt: path) } catch { throw .usage(error.description) }
        let known = Set(contexts)
        let given = mapping
        return { (cluster: String) throws(ReconcilerError) -> FluxClient? in
            guard let context = given[cluster] ?? (known.contains(cluster) ? cluster : nil) else { return nil }
            return FluxClient(connection: try KubernetesConnection.kubeconfig(at: path, context: context), transport: transport)
        }
    }

    func client(environment: [String: String], transport: any ReconcilerTransport) throws(WaitError) -> FluxClient? {
        do {
            if let path = kubeconfig ?? KubernetesConnection.defaultKubeconfigPath(environment: environment) {
                return FluxClient(connection: try KubernetesConnection.kubeconfig(at: path, context: kubeContext), transport: transport)
            }
            guard environment["KUBERNETES_SERVICE_HOST"] != nil else { return nil }
            return FluxClient(connection: try KubernetesConnection.inCluster(environment: environment), transport: transport)
        } catch {
            throw .usage(error.description)
        }
    }
}

/// The forge and the revert PR's merge, for --pr and --revert-on-failure.
struct RevertFlags: ParsableArguments {
    @Flag(help: "On failure or timeout: open the revert PR, merge it on green, wait for the revert to roll out.")
    var revertOnFailure = false

    @Option(help: "The repository's remote URL (the forge is detected from it; the revert is pushed to it).")
    var repo: String = ""

    @Option(help: "Environment variable holding the forge API (and push) token.")
    var tokenEnv: String?

    @Option(help: "The forge kind (default: detected).")
    var forge: ForgeKind?

    @Option(help: "The forge's web or API address, for self-hosted forges.")
    var forgeURL: String?

    @Option(help: "The repository on the forge (default: detected).")
    var project: String?

    @Option(help: "A PEM file of CA certificates to trust for Git over HTTPS.")
    var caBundle: String?

    @Option(help: "The branch to revert on (default: the PR's base, or main).")
    var base: String?

    @Option(help: "How long to wait for the revert PR's checks (seconds, or 90s, 10m, 1h).")
    var mergeWait = "10m"

    @Flag(help: "Merge the revert PR even though no check is reported on it (a repository without CI).")
    var allowNoChecks = false
}

func failingWait<T>(_ work: () throws(WaitError) -> T) throws -> T {
    do {
        return try work()
    } catch {
        throw CapstanFailure(message: error.description, code: error.exitCode)
    }
}

func failingWaitAsync<T>(_ work: () async throws(WaitError) -> T) async throws -> T {
    do {
        return try await work()
    } catch {
        throw CapstanFailure(message: error.description, code: error.exitCode)
    }
}
