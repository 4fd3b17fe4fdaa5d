/// Lexical path clean-up (no file system access): drops `.` and empty components and
/// resolves `..` where it can, so `./clusters/../apps/` and `apps` compare equal.
/// Foundation's `standardizingPath` differs between platforms for relative paths.
public enum PathNormaliser {
    public static func normalise(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if component == "..", absolute {
                continue
            } else {
                parts.append(component)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// The directory part of a normalised path ("." for a bare name).
    public static func directory(of path: String) -> String {
        let normal = normalise(path)
        guard let slash = normal.lastIndex(of: "/") else { return "." }
        return slash == normal.startIndex ? "/" : String(normal[..<slash])
    }
}
