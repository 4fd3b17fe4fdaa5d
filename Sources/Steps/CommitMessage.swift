import Edits

/// The commit message of an update: a subject naming what changed, a body listing each
/// changed value, and one `Capstan-Edit:` trailer per requested edit, so a reviewer can
/// trust (and replay) exactly what the bot was asked to do. `--message` may use
/// `{summary}`, `{changes}`, `{files}`, `{images}` and `{edits}`.
struct CommitMessage {
    let edits: [Edit]
    let result: EditResult
    let template: String?

    var text: String {
        let body = template.map(render) ?? (summary + "\n\n" + changeList)
        let trailers = edits.map { "Capstan-Edit: \($0)" }.joined(separator: "\n")
        return body.trimmingTrailingNewlines() + "\n\n" + trailers + "\n"
    }

    var summary: String {
        let parts = edits.map { edit -> String in
            switch edit {
            case let .image(update):
                let target = update.tag ?? update.digest.map { String($0.prefix(19)) } ?? update.newName ?? ""
                return "\(update.image.shortName) to \(target)"
            case let .chart(update): return "chart \(update.name) to \(update.version)"
            case let .value(update): return "\(update.path.text) in \(update.file)"
            }
        }
        return "Update " + parts.joined(separator: ", ")
    }

    private var changeList: String {
        result.changes.map { change in
            "- \(change.file): \(change.field): \(change.from ?? "(new)") → \(change.to)"
        }.joined(separator: "\n")
    }

    private func render(_ template: String) -> String {
        let images = ImageChange.summarise(result.changes, edits: edits).map { "\($0.name): \($0.from.joined(separator: ", ")) → \($0.to)" }
        return template
            .replacing("{summary}", with: summary)
            .replacing("{changes}", with: changeList)
            .replacing("{files}", with: result.files.map(\.path).joined(separator: ", "))
            .replacing("{images}", with: images.joined(separator: "; "))
            .replacing("{edits}", with: edits.map(\.description).joined(separator: "; "))
    }
}

/// One image's old and new versions across the files an update touched.
public struct ImageChange: Sendable, Codable, Hashable {
    public let name: String
    public let from: [String]
    public let to: String

    /// Per requested image: the versions it had (tags and digests, as found) and the one
    /// it has now.
    static func summarise(_ changes: [Change], edits: [Edit]) -> [ImageChange] {
        edits.compactMap { edit -> ImageChange? in
            guard case let .image(update) = edit else { return nil }
            let subject = update.image.normalizedName
            var olds: [String] = []
            for change in changes where change.kind == .image && change.subject == subject {
                guard let from = change.from, !from.isEmpty else { continue }
                let old: String
                if let reference = ImageReference(from), reference.normalizedName == subject {
                    old = [reference.tag, reference.digest].compactMap { $0 }.joined(separator: "@")
                } else {
                    old = from
                }
                if !old.isEmpty, !olds.contains(old) { olds.append(old) }
            }
            guard !olds.isEmpty else { return nil }
            let new = [update.tag, update.digest].compactMap { $0 }.joined(separator: "@")
            return ImageChange(name: update.newName ?? update.image.name, from: olds, to: new)
        }
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while text.last == "\n" { text = text.dropLast() }
        return String(text)
    }
}
