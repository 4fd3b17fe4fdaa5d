import Foundation

/// Reads the statuses others posted on a commit: what Flux's notification-controller
/// reports per Kustomization/HelmRelease on the commit it applied (`capstan wait --via forge`).
public protocol CommitStatusReading: Forge {
    /// The current status of each context on `sha` (the newest per context).
    func commitStatuses(on sha: String) async throws(ForgeError) -> [CommitStatus]
}

extension GitHubForge: CommitStatusReading {
    /// `GET /repos/{owner}/{repo}/commits/{sha}/status`: the combined status, one per context.
    public func commitStatuses(on sha: String) async throws(ForgeError) -> [CommitStatus] {
        let combined = try await client.send("GET", "/repos/\(project)/commits/\(sha)/status").json
        return combined["statuses"].array.map { status in
            CommitStatus(state: CommitStatus.State(rawValue: status["state"].string ?? "") ?? .error,
                         context: status["context"].string ?? "", description: status["description"].string ?? "")
        }
    }
}

extension GiteaForge: CommitStatusReading {
    /// `GET /repos/{owner}/{repo}/commits/{sha}/statuses`, newest first: the first per context counts.
    public func commitStatuses(on sha: String) async throws(ForgeError) -> [CommitStatus] {
        let statuses = try await client.send("GET", "/repos/\(project)/commits/\(sha)/statuses", query: ["limit": "50"]).json.array
        var seen: Set<String> = []
        var latest: [CommitStatus] = []
        for status in statuses {
            let context = status["context"].string ?? ""
            guard seen.insert(context).inserted else { continue }
            let state = status["status"].string ?? status["state"].string ?? ""
            latest.append(CommitStatus(state: state == "warning" ? .failure : CommitStatus.State(rawValue: state) ?? .error,
                                       context: context, description: status["description"].string ?? ""))
        }
        return latest
    }
}

extension GitLabForge: CommitStatusReading {
    /// `GET /projects/:id/repository/commits/:sha/statuses`: the highest id per name counts.
    public func commitStatuses(on sha: String) async throws(ForgeError) -> [CommitStatus] {
        let project = self.project.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? self.project
        let statuses = try await client.send("GET", "/projects/\(project)/repository/commits/\(sha)/statuses", query: ["per_page": "100"]).json.array
        var latest: [String: (id: Int, status: CommitStatus)] = [:]
        for status in statuses {
            let name = status["name"].string ?? ""
            let id = status["id"].int ?? 0
            let state: CommitStatus.State = switch status["status"].string ?? "" {
            case "success": .success
            case "failed", "canceled": .failure
            case "pending", "running", "created": .pending
            default: .error
            }
            if latest[name].map({ $0.id < id }) ?? true {
                latest[name] = (id, CommitStatus(state: state, context: name, description: status["description"].string ?? ""))
            }
        }
        return latest.values.sorted { $0.status.context < $1.status.context }.map(\.status)
    }
}
