import Foundation

extension AzureDevOpsForge {
    /// The PR's blocking policy evaluations (Policy Evaluations - List, 7.1-preview.1), as checks:
    /// Azure completes no PR while a blocking, enabled policy is rejected (or broken) — red —
    /// or still queued or running — pending. Approved ones are green; not-applicable and
    /// non-blocking ones are left out (Azure completes the PR whatever they say). A token that
    /// may not read policies (403) is judged by its statuses, and `pr status` says so.
    func policyChecks(of pullRequest: PullRequest) async throws(ForgeError) -> [Check] {
        guard pullRequest.number > 0, let projectID = pullRequest.projectID else { return [] }
        let team = project.split(separator: "/", maxSplits: 1).first.map(String.init) ?? project
        let path = "/\(team.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? team)"
            + "/_apis/policy/evaluations"
        let query = ["artifactId": "vstfs:///CodeReview/CodeReviewId/\(projectID)/\(pullRequest.number)", "api-version": "7.1-preview.1",
                     "$top": "\(Self.pageSize)"]
        var checks: [Check] = []
        var read = 0
        for _ in 0..<Pagination.maxPages {
            let answer = try await client.send("GET", path, query: query.merging(["$skip": "\(read)"]) { $1 }, accepting: [403])
            guard answer.status == 200 else {
                let words = await client.message(in: answer)
                return [.unreadable("policies of PR #\(pullRequest.number)", because: "HTTP \(answer.status)" + (words.isEmpty ? "" : ": \(words)"))]
            }
            let evaluations = try answer.json.list("value")
            read += evaluations.count
            for evaluation in evaluations {
                if let check = try Self.policyCheck(evaluation) { checks.append(check) }
            }
            if evaluations.count < Self.pageSize { return checks }
        }
        throw Pagination.tooLong(path)
    }

    static func policyCheck(_ evaluation: JSONValue) throws(ForgeError) -> Check? {
        let configuration = evaluation["configuration"]
        guard try configuration.bool("isBlocking"), configuration["isEnabled"].bool != false else { return nil }
        let status = try evaluation.string("status")
        let name = "policy/" + (configuration["settings"]["displayName"].string ?? configuration["type"]["displayName"].string
            ?? "\(configuration["id"].int ?? 0)")
        switch status {
        case "notApplicable": return nil
        case "approved": return Check(name: name, state: .success, detail: status)
        case "rejected", "broken": return Check(name: name, state: .failure, detail: status)
        case "queued", "running": return Check(name: name, state: .pending, detail: status)
        default: throw evaluation["status"].mistake("a policy evaluation status Azure DevOps documents")
        }
    }
}
