import Foundation

/// A small repository whose commits are signed with one of the lab's SSH keys: quick to
/// make, so each mode test builds exactly the history it talks about.
struct ScratchRepository {
    let path: String
    let lab: SigningLab
    private let git: Shell

    init(lab: SigningLab) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-scratch-\(UUID().uuidString)").path
        self.lab = lab
        git = Shell(directory: path, environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": lab.root, "GNUPGHOME": lab.signHome])
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git.must(["git", "init", "-q", "-b", "main"])
        try git.must(["git", "config", "user.name", "Scratch"])
        try git.must(["git", "config", "user.email", "ssh-ed25519@example.com"])
        try git.must(["git", "config", "gpg.format", "ssh"])
        try git.must(["git", "config", "user.signingkey", lab.secretFiles["ssh-ed25519"]! + ".pub"])
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Commits a change; signed with the lab's ssh-ed25519 key unless `signed` is false.
    @discardableResult
    func commit(_ message: String, signed: Bool = true, email: String? = nil, config: [String] = [], file name: String = "history.txt") throws -> String {
        let file = path + "/" + name
        let previous = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        try (previous + message + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        try git.must(["git", "add", name])
        var arguments = ["git"] + config + (email.map { ["-c", "user.email=\($0)"] } ?? []) + ["commit", "-q", "-m", message]
        if signed { arguments.append("-S") }
        try git.must(arguments)
        return try head()
    }

    func head() throws -> String {
        try git.must(["git", "rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func run(_ arguments: [String]) throws {
        try git.must(arguments)
    }
}
