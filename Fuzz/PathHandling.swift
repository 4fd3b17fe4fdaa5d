// libFuzzer entry point for command-line and tree path handling: the first line of the
// input is a path (as typed, or as a hostile tree names it), the rest a glob and
// .gitignore text. Checks PathNormaliser's laws (normalising is idempotent; a parent is a
// prefix of its path; parent + last component names the same place) and runs Glob and
// GitIgnore over the path. Built by scripts/fuzz-paths with the Discovery sources; any
// crash, trap, timeout or sanitizer report is a bug.

@_cdecl("LLVMFuzzerTestOneInput")
public func pathHandlingFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let path = String(lines.first ?? "")
    let rest = lines.count > 1 ? String(lines[1]) : ""

    let normal = PathNormaliser.normalise(path)
    precondition(PathNormaliser.normalise(normal) == normal, "normalise is not idempotent for \(path.debugDescription)")
    let parent = PathNormaliser.parent(of: path)
    let last = PathNormaliser.lastComponent(of: path)
    precondition(parent == "/" || path.hasPrefix(parent), "parent \(parent.debugDescription) is no prefix of \(path.debugDescription)")
    if !parent.isEmpty, parent != "/", last != "/" {
        precondition(PathNormaliser.normalise("\(parent)/\(last)") == normal, "parent + last differs for \(path.debugDescription)")
    }
    _ = PathNormaliser.directory(of: path)

    let pattern = String(rest.prefix { $0 != "\n" })
    _ = Glob(pattern).matches(path)
    _ = Glob(pattern).matches(normal)
    let ignore = GitIgnore(text: rest)
    _ = ignore.verdict(relativePath: normal, isDirectory: false)
    _ = ignore.verdict(relativePath: normal, isDirectory: true)
    return 0
}
