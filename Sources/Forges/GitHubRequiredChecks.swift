import Foundation

/// The checks GitHub's branch protection requires on a base branch, as far as the token may
/// read them (`GET …/branches/{branch}/protection/required_status_checks`). A required
/// check that has not reported is not absent but pending: GitHub will not merge without it.
enum GitHubRequiredChecks: Sendable, Equatable {
    /// The required status contexts and check names (none when the branch is not protected).
    case names([String])
    /// The token may not read the policy (403, or GitHub's 404 for a token without the
    /// administration permission): the checks that reported are all Capstan can judge by.
    case unreadable(String)

    /// GitHub's own words for a branch without a policy to read (its 404 answers).
    static let noPolicyWords = ["branch not protected", "required status checks not enabled"]

    static func read(_ client: HTTPClient, repo: String, base: String) async throws(ForgeError) -> GitHubRequiredChecks {
        let branch = base.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? base
        let answer = try await client.send("GET", "\(repo)/branches/\(branch)/protection/required_status_checks", accepting: [403, 404])
        guard answer.status == 200 else {
            let words = await client.message(in: answer)
            if answer.status == 404, noPolicyWords.contains(where: words.lowercased().contains) { return .names([]) }
            return .unreadable("HTTP \(answer.status)" + (words.isEmpty ? "" : ": \(words)"))
        }
        let json = try answer.json
        var names: [String] = []
        for context in try json.list("contexts") {
            guard let name = context.string else { throw context.mistake("a string") }
            if !names.contains(name) { names.append(name) }
        }
        // `checks` (newer GitHub) names the same contexts, each with the app that must report it.
        if json["checks"].exists {
            for check in try json.list("checks") {
                let name = try check.string("context")
                if !names.contains(name) { names.append(name) }
            }
        }
        return .names(names)
    }

    /// `reported` with a pending entry for every required check that has not reported, or
    /// with an entry saying the policy could not be read (state `none`: it counts for nothing).
    func applied(to reported: [Check], base: String) -> [Check] {
        switch self {
        case let .names(names):
            let missing = names.filter { name in !reported.contains { $0.name == name } }
            return reported + missing.map { Check(name: $0, state: .pending, detail: "required by \(base)'s branch protection, not reported yet") }
        case let .unreadable(why):
            return reported + [.unreadable("required checks of \(base)", because: why)]
        }
    }
}

/// The required checks read once per base for the life of one forge client: a policy does
/// not change between the polls of one `pr merge`, and each read is a request.
actor GitHubRequiredChecksMemo {
    private var known: [String: GitHubRequiredChecks] = [:]

    func checks(of base: String, read: @Sendable () async throws(ForgeError) -> GitHubRequiredChecks) async throws(ForgeError) -> GitHubRequiredChecks {
        if let found = known[base] { return found }
        let found = try await read()
        known[base] = found
        return found
    }
}
