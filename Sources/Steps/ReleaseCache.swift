import Foundation
import Git

/// Where `update` keeps the release repository between runs: a bare repository at
/// `<workdir>/.git` (no files are ever checked out), locked while in use. A cache that a
/// killed run left half-made is rebuilt: it only ever holds what the remote already has
/// plus Capstan's unpushed commit, so nothing pushed can be lost by rebuilding it.
struct ReleaseCache {
    let repository: Repository
    let lock: WorkDirectoryLock
    let directory: String
    let temporary: Bool

    static let lockName = ".capstan.lock"

    /// Opens (or makes, or remakes) the cache in `workDirectory`, or in a fresh temporary
    /// directory when nil.
    static func open(_ workDirectory: String?, url: RemoteURL, log: (String) -> Void) throws(UpdateError) -> ReleaseCache {
        let (directory, temporary) = try prepare(workDirectory)
        let lock: WorkDirectoryLock
        do { lock = try WorkDirectoryLock(directory: directory) } catch { throw .git(error) }
        let gitDirectory = directory + "/.git"
        removeStaleLocks(in: gitDirectory)
        var repository: Repository?
        if FileManager.default.fileExists(atPath: gitDirectory) {
            do {
                let opened = try Repository.open(gitDirectory)
                _ = try opened.target(of: "HEAD")
                repository = opened
            } catch {
                // Only a directory holding nothing but Capstan's own cache is ever removed.
                let contents = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
                guard contents.allSatisfy({ $0 == ".git" || $0 == lockName }) else {
                    throw .workDirectory("--workdir \(directory): \(error.message); it holds other files too, so Capstan leaves it alone: "
                        + "give an empty directory (or its own cache)")
                }
                log("the work directory \(directory) was left half-made (\(error.message)); rebuilding it")
                do { try FileManager.default.removeItem(atPath: gitDirectory) } catch {
                    throw .workDirectory("cannot remove the half-made \(gitDirectory): \(error.localizedDescription)")
                }
            }
        }
        do {
            let ready: Repository
            if let repository { ready = repository } else { ready = try Repository.create(gitDirectory, bare: true) }
            if (try? ready.config("remote.origin.url")) != url.url { try ready.setConfig("remote.origin.url", url.url) }
            return ReleaseCache(repository: ready, lock: lock, directory: directory, temporary: temporary)
        } catch {
            throw .git(error)
        }
    }

    /// Lock files libgit2 leaves when killed mid-write. Under the cache lock no other
    /// Capstan is inside, so every one of them is stale and would fail the next update.
    private static func removeStaleLocks(in gitDirectory: String) {
        guard let walker = FileManager.default.enumerator(atPath: gitDirectory) else { return }
        while let relative = walker.nextObject() as? String {
            if relative.hasPrefix("objects/") { walker.skipDescendants(); continue }
            if relative.hasSuffix(".lock") { unlink(gitDirectory + "/" + relative) }
        }
    }

    private static func prepare(_ workDirectory: String?) throws(UpdateError) -> (String, Bool) {
        guard let workDirectory else {
            let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-\(UUID().uuidString)").path
            do { try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true) } catch {
                throw .workDirectory("cannot create a temporary directory: \(error.localizedDescription)")
            }
            return (temporary, true)
        }
        let absolute = workDirectory.hasPrefix("/") ? workDirectory : FileManager.default.currentDirectoryPath + "/" + workDirectory
        var info = stat()
        if stat(absolute, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw .workDirectory("--workdir \(workDirectory) is not a directory") }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []
            guard contents.contains(".git") || contents.allSatisfy({ $0 == lockName }) else {
                throw .workDirectory("--workdir \(workDirectory) is neither empty nor a Capstan cache (no .git)")
            }
        } else {
            do { try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true) } catch {
                throw .workDirectory("cannot create --workdir \(workDirectory): \(error.localizedDescription)")
            }
        }
        return (absolute, false)
    }

    /// Removes a temporary cache (a `--workdir` one is kept).
    func close() {
        if temporary { try? FileManager.default.removeItem(atPath: directory) }
    }
}
