import Foundation

/// A step's outputs (PR number, commit, …) handed to the CI's next step or job.
///
/// - `$GITHUB_OUTPUT` (GitHub, Gitea and Forgejo Actions): `name=value` lines, multi-line
///   values in heredoc form.
/// - `$CAPSTAN_DOTENV`, a file path: `CAPSTAN_PR_NUMBER=42` lines for every other CI — a
///   GitLab `artifacts: reports: dotenv:` file, or one a later step reads. GitLab takes values
///   as they stand (no quotes, no escapes, no multi-line values), so multi-line values are
///   left out and no value is quoted.
enum StepOutputs {
    static func writeOutputs(_ outputs: [(String, String)]) {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["GITHUB_OUTPUT"], !path.isEmpty {
            append(to: path, outputs.map { name, value in
                guard value.contains("\n") else { return "\(name)=\(value)\n" }
                let delimiter = "capstan_\(UUID().uuidString)"
                return "\(name)<<\(delimiter)\n\(value)\n\(delimiter)\n"
            })
        }
        if let path = environment["CAPSTAN_DOTENV"], !path.isEmpty {
            append(to: path, outputs.filter { !$0.1.contains("\n") }.map { "\(dotenvName($0.0))=\($0.1)\n" })
        }
    }

    /// `pr-number` → `CAPSTAN_PR_NUMBER`: letters, digits and underscores only.
    static func dotenvName(_ name: String) -> String {
        "CAPSTAN_" + String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Appends to a regular file, created when missing; never through a symlink (a relative
    /// path such as `capstan.env` or `out/capstan.env` may name a link a checked-out tree
    /// planted, at the file or at a directory on the way), and never blocking on a FIFO.
    private static func append(to path: String, _ lines: [String]) {
        let descriptor = openNoLinks(path)
        guard descriptor >= 0 else {
            FileHandle.standardError.write(Data("warning: outputs not written to \(path): \(String(cString: strerror(errno)))\n".utf8))
            return
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            FileHandle.standardError.write(Data("warning: outputs not written to \(path): not a regular file\n".utf8))
            return
        }
        handle.write(Data(lines.joined().utf8))
    }

    /// Opens `path` for appending. Inside the current directory (the checkout) every
    /// directory on the way is opened with O_NOFOLLOW, so a link there fails the open (an
    /// absolute path elsewhere is the pipeline's own, its directories taken as given).
    /// O_NONBLOCK makes a FIFO nobody reads fail at once instead of hanging the run.
    private static func openNoLinks(_ path: String) -> Int32 {
        let flags = O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC
        let current = FileManager.default.currentDirectoryPath
        let relative = path.hasPrefix("/") ? (path.hasPrefix(current + "/") ? String(path.dropFirst(current.count + 1)) : nil) : path
        guard let relative else { return open(path, flags, 0o644) }
        let components = relative.split(separator: "/").map(String.init)
        guard let name = components.last else { return open(path, flags, 0o644) }
        var directory = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        for component in components.dropLast() where directory >= 0 {
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let failure = errno
            close(directory)
            directory = next
            errno = failure
        }
        guard directory >= 0 else { return -1 }
        defer { close(directory) }
        return openat(directory, name, flags, 0o644)
    }
}
