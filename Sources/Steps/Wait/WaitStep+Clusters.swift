import Reconcilers

extension WaitStep {
    /// The client of each cluster whose Flux targets have one of their own: a
    /// `--cluster-context` or a kubeconfig context named like the catalog cluster. An
    /// object waited for on several clusters must have one per cluster: judged on one API
    /// server, the others' rollouts would go unseen. So must an Argo CD app that several
    /// destinations of the catalog name alike: one Argo CD server shows one of them.
    func clusterClients(for targets: [WaitTarget]) throws(WaitError) -> [String: FluxClient] {
        let argo = Dictionary(grouping: targets.filter { $0.kind == .argoApplication }) { "\($0.namespace ?? "")/\($0.name)" }
        if let (_, same) = argo.first(where: { Set($0.value.map(\.cluster)).count > 1 }) {
            let destinations = same.compactMap(\.cluster).sorted().joined(separator: ", ")
            throw .usage("\(same[0].label) is defined for several destinations (\(destinations)): one Argo CD server shows only one of them; "
                + "wait for each with --cluster and its own --argocd-server")
        }
        guard access.fluxStatuses == nil else { return [:] }
        let flux = targets.filter { $0.kind != .argoApplication }
        var clients: [String: FluxClient] = [:]
        for cluster in Set(flux.compactMap(\.cluster)).sorted() {
            do {
                if let client = try access.fluxClusters?(cluster) { clients[cluster] = client }
            } catch {
                throw .usage("cluster \(cluster): \(error)")
            }
        }
        let objects = Dictionary(grouping: flux) { "\($0.kind.rawValue) \($0.namespace ?? "")/\($0.name)" }
        for (_, same) in objects.sorted(by: { $0.key < $1.key }) {
            let clusters = Set(same.compactMap(\.cluster))
            guard clusters.count > 1 else { continue }
            for cluster in clusters.sorted() where clients[cluster] == nil {
                throw .usage("\(same[0].label) is deployed to clusters \(clusters.sorted().joined(separator: ", ")), and the kubeconfig "
                    + "has no context for \(cluster): name a context after it, give --cluster-context \(cluster)=CONTEXT, "
                    + "or wait for one cluster with --cluster")
            }
        }
        return clients
    }
}
