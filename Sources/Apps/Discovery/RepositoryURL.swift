import Foundation

/// A Git URL reduced to `host/owner/name` so the forms reconcilers and remotes use
/// compare equal: `https://github.com/acme/repo.git`, `git@github.com:acme/repo`,
/// `ssh://git@github.com/acme/repo/`.
public struct RepositoryURL: Sendable, Hashable, CustomStringConvertible {
    public let key: String

    public init(_ url: String) {
        var text = url.trimmingCharacters(in: .whitespaces)
        if let scheme = text.range(of: "://") {
            text = String(text[scheme.upperBound...])
        } else if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
            // scp-like: user@host:owner/name
            text = text[..<colon] + "/" + text[text.index(after: colon)...]
        }
        if let at = text.firstIndex(of: "@"), !text[..<at].contains("/") { text = String(text[text.index(after: at)...]) }
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix(".git") { text.removeLast(4) }
        var parts = text.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if var host = parts.first {
            if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }  // drop a port
            parts[0] = host.lowercased()
        }
        key = parts.joined(separator: "/")
    }

    public var description: String { key }

    /// Whether `url` names an OCI registry artifact (`oci://…`: an Argo CD 3.1+ native OCI
    /// source, a Helm chart or manifests image), which is never a Git repository.
    public static func isOCI(_ url: String) -> Bool {
        url.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("oci://")
    }

    /// The remote URLs in a work tree's Git configuration, read as text (no git process,
    /// no libgit2): `.git/config`, or the common directory of a linked work tree.
    public static func remotes(ofWorkTree root: String) -> [String] {
        let dotGit = "\(root)/.git"
        var configPath = "\(dotGit)/config"
        if let pointer = try? String(contentsOfFile: dotGit, encoding: .utf8), pointer.hasPrefix("gitdir:") {
            var gitDirectory = pointer.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            if !gitDirectory.hasPrefix("/") { gitDirectory = "\(root)/\(gitDirectory)" }
            configPath = "\(gitDirectory)/config"
            if let common = try? String(contentsOfFile: "\(gitDirectory)/commondir", encoding: .utf8) {
                let trimmed = common.trimmingCharacters(in: .whitespacesAndNewlines)
                configPath = (trimmed.hasPrefix("/") ? trimmed : "\(gitDirectory)/\(trimmed)") + "/config"
            }
        }
        guard let text = try? String(contentsOfFile: configPath, encoding: .utf8) else { return [] }
        var urls: [String] = []
        var inRemote = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                inRemote = line.hasPrefix("[remote ")
                continue
            }
            guard inRemote, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            if key == "url" {
                urls.append(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            }
        }
        return urls
    }
}
