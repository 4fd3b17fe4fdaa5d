import Foundation

/// Reads the statuses others posted on a commit: what Flux's notification-controller
/// reports per Kustomization/HelmRelease on the commit it applied (`capstan wait --via forge`).
public protocol CommitStatusReading: Forge {
    /// The current status of each context on `sha` (the newest per context).
    func commitStatuses(on sha: String) async throws(ForgeError) -> [CommitStatus]
}

extension GitHubForge: CommitStatusReading {
    /// `GET /repos/{owner}/{repo}/commits/{sha}/status`: the combined status, one per context,
    /// every page.
    public func commitStatuses(on sha: String) async throws(ForgeError) -> [CommitStatus] {
        try await combinedStatuses(of: sha).map { status in
            CommitStatus(state: CommitStatus.State(rawValue: status["state"].string ?? "") ?? .error,
                         context: status["context"].string ?? "", description: status["description"].string ?? "")
        }
    }
}

extension GiteaForge: CommitStatusReading {
    /// `GET /repos/{owner}/{repo}/commits/{sha}/statuses`, newest first, every page (a status
    /// past the first 50 is still a status): the first per context counts.
    public func commitStatuses(on sha: String) async throws(ForgeError) -> [CommitStatus] {
        let statuses = try await Pagination.linked(client, "/repos/\(project)/commits/\(sha)/statuses", query: ["limit": "50"]) {
            (page) throws(ForgeError) in try page.list()
        }
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
    /// `GET /projects/:id/repository/commits/:sha/statuses`, every page (GitLab lists them
    /// oldest first, so the newest are on the last): the highest id per name counts.
    public func commitStatuses(on sha: String) async throws(ForgeError) -> [CommitStatus] {
        let project = self.project.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? self.project
        let statuses = try await Pagination.linked(client, "/projects/\(project)/repository/commits/\(sha)/statuses", query: ["per_page": "100"]) {
            (page) throws(ForgeError) in try page.list()
        }
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

extension BitbucketCloudForge: CommitStatusReading {
    /// `GET /repositories/{workspace}/{repo}/commit/{sha}/statuses`, every page. A key holds
    /// one status (a POST with the same key overwrites it). A status is named by its `name`
    /// when it has one: notification-controller's key is the SHA-1 of its status id, its
    /// name `<kind>/<name>`.
    public func commitStatuses(on sha: String) async throws(ForgeError) -> [CommitStatus] {
        let statuses = try await Pagination.nextField(client, "/repositories/\(project)/commit/\(sha)/statuses", query: ["pagelen": "100"]) {
            (page) throws(ForgeError) in try page.list("values")
        }
        return Self.latestByKey(statuses, date: "updated_on")
    }

    /// The newest status per key (by `date`), in Capstan's states: SUCCESSFUL green, FAILED
    /// and STOPPED red, INPROGRESS pending; named by `name`, else by key.
    static func latestByKey(_ statuses: [JSONValue], date: String) -> [CommitStatus] {
        var latest: [String: (date: String, status: CommitStatus)] = [:]
        for status in statuses {
            let key = status["key"].string ?? ""
            let stamp = status[date].string ?? status[date].int.map(String.init) ?? ""
            let state: CommitStatus.State = switch status["state"].string ?? "" {
            case "SUCCESSFUL": .success
            case "FAILED", "STOPPED", "CANCELLED": .failure
            case "INPROGRESS": .pending
            default: .error
            }
            let name = status["name"].string.flatMap { $0.isEmpty ? nil : $0 } ?? key
            if latest[key].map({ $0.date.compare(stamp, options: .numeric) == .orderedAscending }) ?? true {
                latest[key] = (stamp, CommitStatus(state: state, context: name, description: status["description"].string ?? ""))
            }
        }
        return latest.values.map(\.status).sorted { $0.context < $1.context }
    }
}

extension BitbucketDataCenterForge: CommitStatusReading {
    /// `GET /rest/build-status/latest/commits/{sha}` ("Get build statuses for commit", beside
    /// the repository API; the repository-scoped builds resource reads one key at a time, and
    /// notification-controller's key is the SHA-1 of an id that holds its Provider's UID),
    /// newest first, every page. Named by `name`: `<kind>/<name> [<reason>]` from Flux.
    public func commitStatuses(on sha: String) async throws(ForgeError) -> [CommitStatus] {
        var statuses: [JSONValue] = []
        var start = 0
        for _ in 0..<Pagination.maxPages {
            let page = try await client.get("/commits/\(sha)", replacing: "/api/latest", with: "/build-status/latest",
                                            query: ["start": "\(start)", "limit": "100", "orderBy": "NEWEST"]).json
            statuses += try page.list("values")
            if try page.bool("isLastPage") { return BitbucketCloudForge.latestByKey(statuses, date: "dateAdded") }
            let next = try page.int("nextPageStart")
            guard next > start else { throw page["nextPageStart"].mistake("a start past \(start)") }
            start = next
        }
        throw Pagination.tooLong("/build-status/latest/commits/\(sha)")
    }
}

extension AzureDevOpsForge: CommitStatusReading {
    /// `GET …/commits/{sha}/statuses?latestOnly=true`: the latest per genre and name, named
    /// by the context's name (notification-controller's status id; its genre is `fluxcd`).
    public func commitStatuses(on sha: String) async throws(ForgeError) -> [CommitStatus] {
        try await latestStatuses(on: sha).compactMap(Self.commitStatus)
    }

    /// One status as `capstan wait --via forge` judges it, by the same reading of
    /// GitStatusState as a PR's checks (`checkState`), so a word means one thing to both:
    ///
    /// | state | Azure's meaning | PR checks (`pr merge`) | `wait --via forge` |
    /// |---|---|---|---|
    /// | succeeded | succeeded | green | success |
    /// | failed, error | failed; failed with an error | red | failure |
    /// | partiallySucceeded | finished with warnings (failed steps) | red: a final result | failure |
    /// | pending | running | pending | pending: waited on |
    /// | notSet | posted with no state yet (the default) | pending | pending: waited on |
    /// | notApplicable | says nothing about this commit | left out | left out (nil) |
    /// | any other word | — | pending: never merged on | pending: waited on until --timeout |
    ///
    /// notification-controller itself posts only succeeded (info) and error (error).
    static func commitStatus(_ status: JSONValue) -> CommitStatus? {
        let word = status["state"].string ?? ""
        guard word != "notApplicable" else { return nil }
        let state: CommitStatus.State = switch checkState(word) {
        case .success: .success
        case .failure: .failure
        case .pending, .none: .pending
        }
        return CommitStatus(state: state, context: status["context"]["name"].string ?? "", description: status["description"].string ?? "",
                            genre: status["context"]["genre"].string)
    }
}
