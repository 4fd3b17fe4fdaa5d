/// `capstan config explain`: every setting .capstan.yaml may hold, its effective value
/// and where that value comes from (the file and line, or Capstan's default). Flags given
/// to a command win over both.
public struct ConfigExplanation: Outcome {
    public struct Entry: Encodable, Sendable {
        public let key: String
        public let value: String
        public let source: String
        public let meaning: String
    }

    public let file: String?
    public let entries: [Entry]

    static let defaults: [String: String] = [
        "validate.kubernetesVersion": "newest bundled", "validate.strict": "false", "validate.kustomize": "false",
        "validate.rules": "every rule at its own severity", "commit.author": UpdateOptions.defaultAuthor.description,
        "commit.message": "{summary}, the changes, Capstan-Edit: trailers", "verify.mode": "head",
        "pullRequest.draft": "false", "pullRequest.mergeMethod": "merge",
    ]

    public init(config: RepositoryConfig?) {
        file = config?.path
        var entries: [Entry] = []
        for (key, _, meaning) in RepositoryConfig.keys {
            let configured: String? = config.flatMap { config in
                if let value = config.strings[key]?.value { return value }
                if let value = config.lists[key]?.value { return "[" + value.joined(separator: ", ") + "]" }
                if let value = config.flags[key]?.value { return value ? "true" : "false" }
                if let value = config.maps[key]?.value {
                    return "{" + value.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
                }
                return nil
            }
            entries.append(Entry(key: key, value: configured ?? Self.defaults[key] ?? "(none)",
                                 source: configured != nil ? (config?.source(of: key) ?? "") : "default", meaning: meaning))
        }
        for (image, setting) in (config?.imagePaths ?? [:]).sorted(by: { $0.key < $1.key }) {
            entries.append(Entry(key: "images.\(image)", value: "[" + setting.value.joined(separator: ", ") + "]",
                                 source: "\(config?.path ?? ""):\(setting.line)", meaning: "where set image looks for this image"))
        }
        self.entries = entries
    }

    public var text: String {
        let width = entries.map(\.key.count).max() ?? 0
        var lines = [file.map { "configuration from \($0); flags on the command line win" } ?? "no .capstan.yaml found; defaults apply"]
        for entry in entries {
            lines.append(entry.key.padding(toLength: width + 2, withPad: " ", startingAt: 0) + entry.value + "   (" + entry.source + ")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public var notes: [String] { [] }
}
