import Foundation

/// The checks GitHub requires on a base branch before it merges, as far as the token may read
/// them: classic branch protection (`GET …/branches/{branch}/protection/required_status_checks`,
/// which needs the administration permission) and the active rulesets' rules
/// (`GET …/rules/branches/{branch}`, readable with read access). A required check that has not
/// reported is not absent but pending: GitHub will not merge without it.
struct GitHubRequiredChecks: Sendable, Equatable {
    /// The required status contexts and check names, from both sources.
    var names: [String] = []
    /// Each source the token may not read, with GitHub's answer: the checks that reported are
    /// all Capstan can judge by there.
    var unreadable: [String] = []

    /// GitHub's own words for a branch without a classic policy to read (its 404 answers).
    static let noPolicyWords = ["branch not protected", "required status checks not enabled"]

    static func read(_ client: HTTPClient, repo: String, base: String) async throws(ForgeError) -> GitHubRequiredChecks {
        let branch = base.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? base
        var found = GitHubRequiredChecks()
        try await found.readProtection(client, "\(repo)/branches/\(branch)/protection/required_status_checks")
        try await found.readRules(client, "\(repo)/rules/branches/\(branch)")
        return found
    }

    private mutating func add(_ name: String) {
        if !names.contains(name) { names.append(name) }
    }

    /// 403, or GitHub's 404 to a token without the administration permission: unreadable;
    /// its 404 "Branch not protected": no classic policy.
    private mutating func readProtection(_ client: HTTPClient, _ path: String) async throws(ForgeError) {
        let answer = try await client.send("GET", path, accepting: [403, 404])
        guard answer.status == 200 else {
            let words = await client.message(in: answer)
            if answer.status == 404, Self.noPolicyWords.contains(where: words.lowercased().contains) { return }
            unreadable.append("branch protection, HTTP \(answer.status)" + (words.isEmpty ? "" : ": \(words)"))
            return
        }
        let json = try answer.json
        for context in try json.list("contexts") {
            guard let name = context.string else { throw context.mistake("a string") }
            add(name)
        }
        // `checks` (newer GitHub) names the same contexts, each with the app that must report it.
        if json["checks"].exists {
            for check in try json.list("checks") { add(try check.string("context")) }
        }
    }

    /// Every page of the branch's active rules; the `required_status_checks` rules name
    /// contexts. 403/404 (a server without rulesets, a token that may not read them): unreadable.
    private mutating func readRules(_ client: HTTPClient, _ path: String) async throws(ForgeError) {
        var answer = try await client.send("GET", path, query: ["per_page": "100"], accepting: [403, 404])
        guard answer.status == 200 else {
            let words = await client.message(in: answer)
            unreadable.append("rulesets, HTTP \(answer.status)" + (words.isEmpty ? "" : ": \(words)"))
            return
        }
        for _ in 0..<Pagination.maxPages {
            for rule in try answer.json.list() where try rule.string("type") == "required_status_checks" {
                for check in try rule["parameters"].list("required_status_checks") { add(try check.string("context")) }
            }
            guard let next = Pagination.nextLink(in: answer) else { return }
            answer = try await client.follow(next)
        }
        throw Pagination.tooLong(path)
    }

    /// `reported` with a pending entry for every required check that has not reported, and an
    /// entry (state `none`) for each source the token could not read.
    func applied(to reported: [Check], base: String) -> [Check] {
        let missing = names.filter { name in !reported.contains { $0.name == name } }
        return reported
            + missing.map { Check(name: $0, state: .pending, detail: "required on \(base), not reported yet") }
            + unreadable.map { .unreadable("required checks of \(base)", because: $0) }
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
