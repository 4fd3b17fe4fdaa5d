/// Lists read to their end, within a bound: a forge that keeps answering "more" cannot
/// keep Capstan reading forever, and a list cut short is an error, never a partial answer.
enum Pagination {
    /// Pages read of one list before giving up.
    static let maxPages = 100

    /// The `rel="next"` target of an RFC 8288 `Link` header (GitHub, Gitea, GitLab).
    static func nextLink(in answer: HTTPAnswer) -> String? {
        guard let header = answer.header("Link") else { return nil }
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = fields.first, target.hasPrefix("<"), target.hasSuffix(">"),
                  fields.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "").lowercased() == "rel=\"next\"" || $0 == "rel=next" })
            else { continue }
            return String(target.dropFirst().dropLast())
        }
        return nil
    }

    /// Every item of a list whose pages link to the next one with a `Link` header: the
    /// first page from `method path query`, the rest from each `next` link (followed only
    /// under the client's API root). `items` reads one page's items.
    static func linked<Item>(_ client: HTTPClient, _ path: String, query: [String: String],
                             items: (JSONValue) throws(ForgeError) -> [Item]) async throws(ForgeError) -> [Item] {
        var answer = try await client.send("GET", path, query: query)
        var all = try items(answer.json)
        for _ in 1..<maxPages {
            guard let next = nextLink(in: answer) else { return all }
            answer = try await client.follow(next)
            all += try items(answer.json)
        }
        guard nextLink(in: answer) == nil else { throw tooLong(path) }
        return all
    }

    static func tooLong(_ path: String) -> ForgeError {
        .unexpectedAnswer("the list has more than \(maxPages) pages; refusing to read on", method: "GET", path: path)
    }
}

extension Pagination {
    /// Every item of a Bitbucket Cloud list: `values` of each page, following `next`.
    static func nextField<Item>(_ client: HTTPClient, _ path: String, query: [String: String],
                                items: (JSONValue) throws(ForgeError) -> [Item]) async throws(ForgeError) -> [Item] {
        var page = try await client.send("GET", path, query: query).json
        var all = try items(page)
        for _ in 1..<maxPages {
            guard let next = try page.optionalString("next") else { return all }
            page = try await client.follow(next).json
            all += try items(page)
        }
        guard try page.optionalString("next") == nil else { throw tooLong(path) }
        return all
    }

    /// Every item of a Bitbucket Data Center list: `values` of each page, asking from
    /// `nextPageStart` until `isLastPage`.
    static func startLimit<Item>(_ client: HTTPClient, _ path: String, query: [String: String],
                                 items: (JSONValue) throws(ForgeError) -> [Item]) async throws(ForgeError) -> [Item] {
        var all: [Item] = []
        var start = 0
        for _ in 0..<maxPages {
            let page = try await client.send("GET", path, query: query.merging(["start": "\(start)"]) { $1 }).json
            all += try items(page)
            if try page.bool("isLastPage") { return all }
            let next = try page.int("nextPageStart")
            guard next > start else { throw page["nextPageStart"].mistake("a start past \(start)") }
            start = next
        }
        throw tooLong(path)
    }
}
