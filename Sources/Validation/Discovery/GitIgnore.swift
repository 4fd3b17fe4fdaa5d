import Foundation

/// The rules of one `.gitignore` file, applied to paths relative to its directory.
struct GitIgnore: Sendable {
    private struct Rule: Sendable {
        let glob: Glob
        let negated: Bool
        let directoryOnly: Bool
        /// A pattern with a slash matches the whole relative path; without one, any name.
        let anchored: Bool
    }

    private let rules: [Rule]

    init(text: String) {
        rules = text.split(whereSeparator: \.isNewline).compactMap { raw in
            var line = String(raw)
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line.removeLast() }
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            let negated = line.hasPrefix("!")
            if negated { line.removeFirst() }
            let directoryOnly = line.hasSuffix("/")
            if directoryOnly { line.removeLast() }
            let anchored = line.contains("/")
            if line.hasPrefix("/") { line.removeFirst() }
            guard !line.isEmpty else { return nil }
            return Rule(glob: Glob(line), negated: negated, directoryOnly: directoryOnly, anchored: anchored)
        }
    }

    init?(directory: String) {
        guard let data = FileManager.default.contents(atPath: directory + "/.gitignore") else { return nil }
        self.init(text: String(decoding: data, as: UTF8.self))
    }

    /// nil when no rule speaks about the path; otherwise whether it is ignored.
    func verdict(relativePath: String, isDirectory: Bool) -> Bool? {
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        var result: Bool?
        for rule in rules {
            if rule.directoryOnly && !isDirectory { continue }
            let hit = rule.anchored ? rule.glob.matches(relativePath) : rule.glob.matches(name)
            if hit { result = !rule.negated }
        }
        return result
    }
}
