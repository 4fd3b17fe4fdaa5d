import Validation

/// Argo CD directory include/exclude patterns: a glob, or `{a.yaml,b/*.yaml}` alternatives.
enum BraceGlob {
    static func globs(_ pattern: String) -> [Glob] {
        let trimmed = pattern.trimmingSpaces
        guard !trimmed.isEmpty else { return [] }
        guard trimmed.hasPrefix("{"), trimmed.hasSuffix("}") else { return [Glob(trimmed)] }
        return trimmed.dropFirst().dropLast().split(separator: ",").map { Glob(String($0).trimmingSpaces) }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
