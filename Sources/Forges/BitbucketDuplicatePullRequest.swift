extension BitbucketDataCenterForge {
    /// The open PR a refused create names: Bitbucket Data Center answers a second PR between
    /// the same branches with 409 `DuplicatePullRequestException`, carrying the open one in
    /// `errors[].existingPullRequest`, so no list need be read again to find it. Taken only
    /// when it goes from `head` into `base` of this very repository (not from a fork, not
    /// into another repository) and is open; anything else is nil, and the list decides.
    static func duplicate(in answer: JSONValue, project: String, head: String, base: String) -> PullRequest? {
        let parts = project.split(separator: "/").map { $0.lowercased() }
        guard parts.count == 2 else { return nil }
        for error in answer["errors"].array where error["exceptionName"].string?.hasSuffix(".DuplicatePullRequestException") == true {
            let existing = error["existingPullRequest"]
            let from = existing["fromRef"], to = existing["toRef"]
            // Project keys and slugs are case-insensitive in Bitbucket's URLs (keys are stored
            // upper case, slugs lower case), so they are compared so.
            guard from["id"].string == "refs/heads/\(head)", to["id"].string == "refs/heads/\(base)",
                  to["repository"]["project"]["key"].string?.lowercased() == parts[0],
                  to["repository"]["slug"].string?.lowercased() == parts[1],
                  from["repository"]["slug"].exists, isFromThisRepository(existing),
                  let pullRequest = try? pullRequest(existing), pullRequest.state == .open
            else { continue }
            return pullRequest
        }
        return nil
    }
}
