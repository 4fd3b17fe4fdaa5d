/// Lexical path clean-up (no file system access): drops `.` and empty components and
/// resolves `..` where it can, so `./clusters/../apps/` and `apps` compare equal.
/// Foundation's `standardizingPath` differs between platforms for relative paths, and
/// swift-corelibs-foundation's `NSString.deletingLastPathComponent` traps on a relative
/// path of one one-character component (`x`, `x/`, `.`): product code takes parents and
/// names from here, never from NSString or URL path methods.
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

    /// The path without its last component, as written (no `..` resolved): `x/cm.yaml` → `x`,
    /// `x` → "", `/a` → `/`, `a/b//` → `a`. Trailing slashes do not count as a component.
    public static func parent(of path: String) -> String {
        var text = Substring(path)
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        guard let slash = text.lastIndex(of: "/") else { return "" }
        var head = text[..<slash]
        while head.hasSuffix("/") { head = head.dropLast() }
        return head.isEmpty ? "/" : String(head)
    }

    /// The last component, as written: `apps/podinfo/` → `podinfo`, `/` → `/`, "" → "".
    public static func lastComponent(of path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let last = parts.last else { return path.hasPrefix("/") ? "/" : "" }
        return String(last)
    }
}
