import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a cache work directory (flock on `<directory>/.capstan.lock`, kept
/// outside the repository so a half-made repository can be removed and rebuilt while it
/// is held), so two Capstan processes given the same `--workdir` take turns instead of
/// corrupting it.
public final class WorkDirectoryLock {
    private let descriptor: Int32

    /// Blocks until the lock is held. The lock file is never opened through a symlink.
    public init(directory: String) throws(GitError) {
        let path = directory + "/.capstan.lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw GitError(operation: "lock \(path)", code: -1, message: String(cString: strerror(errno)))
        }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw GitError(operation: "lock \(path)", code: -1, message: message)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
