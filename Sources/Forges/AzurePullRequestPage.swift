import Foundation

extension AzureDevOpsForge {
    /// The PR's page, not its REST URL. A single PR's answer names the repository's
    /// `webUrl` or `remoteUrl` (its web and clone address, without the user name it may
    /// carry); a list's items do not (nor `webUrl`), so
    /// there the page is built from what they do carry: the organisation (or collection)
    /// before `/_apis/` in the repository's REST `url`, the project's and the repository's names.
    static func page(of number: Int, in repository: JSONValue) throws(ForgeError) -> String {
        if let root = repository["webUrl"].string ?? repository["remoteUrl"].string {
            return "\(withoutUserName(root))/pullrequest/\(number)"
        }
        let rest = try repository.string("url")
        guard let apis = rest.range(of: "/_apis/"), rest.hasPrefix("https://") || rest.hasPrefix("http://") else {
            throw repository["url"].mistake("the repository's REST address (…/_apis/git/repositories/…)")
        }
        let name = try repository.string("name")
        let project = try repository["project"].string("name")
        let segment = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))
        guard let projectSegment = project.addingPercentEncoding(withAllowedCharacters: segment),
              let nameSegment = name.addingPercentEncoding(withAllowedCharacters: segment) else {
            throw repository["name"].mistake("a repository name")
        }
        return "\(rest[..<apis.lowerBound])/\(projectSegment)/_git/\(nameSegment)/pullrequest/\(number)"
    }

    /// dev.azure.com's `remoteUrl` names the organisation as a user (`https://org@dev.azure.com/…`),
    /// a clone address's habit: the page is the same address without it.
    private static func withoutUserName(_ address: String) -> String {
        guard let scheme = address.range(of: "://") else { return address }
        let authorityEnd = address[scheme.upperBound...].firstIndex(of: "/") ?? address.endIndex
        guard let at = address[scheme.upperBound..<authorityEnd].lastIndex(of: "@") else { return address }
        return String(address[..<scheme.upperBound]) + address[address.index(after: at)...]
    }
}
