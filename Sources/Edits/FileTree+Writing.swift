#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import YAML

extension FileTree {
    /// The bytes of a tree-relative regular file. The size is taken from the open file
    /// before anything is read, so a file over `limit` costs no memory; at most `limit`
    /// bytes are read even if the file grows meanwhile.
    public func read(_ relative: String, limit: Int) throws(EditError) -> [UInt8] {
        let descriptor = open(absolute(relative), O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw errno == ENOENT ? .notFound(relative) : .io(relative, reason: Self.lastError) }
        defer { close(descriptor) }
        return try Self.readRegular(descriptor, relative, limit: limit)
    }

    /// The bytes of a tree-relative regular file reached through no symlink at all: every
    /// folder on the way and the file itself are opened with O_NOFOLLOW, so a link (to
    /// `/dev/zero`, to a file outside the tree, in a loop) is refused, never followed; a
    /// device or FIFO is refused before a byte is read; at most `limit` bytes are read.
    /// For reading trees a change under test controls (`capstan apps`).
    public func readWithoutFollowingLinks(_ relative: String, limit: Int) throws(EditError) -> [UInt8] {
        let (directory, name) = try openParent(relative)
        defer { close(directory) }
        let descriptor = openat(directory, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
        guard descriptor >= 0 else {
            let failure = errno
            if failure == ELOOP { throw Self.linkRefusal(relative, at: relative) }
            throw failure == ENOENT ? .notFound(relative) : .io(relative, reason: String(cString: strerror(failure)))
        }
        defer { close(descriptor) }
        return try Self.readRegular(descriptor, relative, limit: limit)
    }

    /// Reads an open descriptor that must be a regular file of at most `limit` bytes.
    private static func readRegular(_ descriptor: Int32, _ relative: String, limit: Int) throws(EditError) -> [UInt8] {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .io(relative, reason: Self.lastError) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .io(relative, reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size <= limit else { throw .yaml(.tooLarge(file: relative, bytes: size, limit: limit)) }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.read(descriptor, base + filled, size - filled)
            }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            guard count > 0 else { break }
            filled += count
        }
        if filled < size { bytes.removeSubrange(filled...) }
        return bytes
    }

    /// Refuses unless every directory on the way to `relative` and the file itself are
    /// real (no symlink) and the file is a regular file.
    public func checkWritable(_ relative: String) throws(EditError) {
        let (directory, name) = try openParent(relative)
        defer { close(directory) }
        _ = try regularFileMode(in: directory, name, relative)
    }

    /// Replaces a tree-relative regular file atomically, keeping its permissions. The new
    /// bytes go to a temporary file of unpredictable name created with O_EXCL|O_NOFOLLOW
    /// beside it, in a directory reached without following any link, then renamed over
    /// it: nothing planted in the tree can redirect the write.
    public func write(_ relative: String, _ bytes: [UInt8]) throws(EditError) {
        let (directory, name) = try openParent(relative)
        defer { close(directory) }
        let mode = try regularFileMode(in: directory, name, relative)
        var descriptor: Int32 = -1
        var temporary = ""
        for _ in 0..<8 {
            temporary = ".\(name).capstan-\(Self.randomHex())"
            descriptor = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw .io(relative, reason: "cannot create a temporary file: " + Self.lastError) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + written, bytes.count - written)
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let reason = Self.lastError
                close(descriptor)
                unlinkat(directory, temporary, 0)
                throw .io(relative, reason: reason)
            }
            written += count
        }
        fchmod(descriptor, mode)
        close(descriptor)
        guard renameat(directory, temporary, directory, name) == 0 else {
            let reason = Self.lastError
            unlinkat(directory, temporary, 0)
            throw .io(relative, reason: reason)
        }
    }

    /// Opens the directory holding `relative`, one component at a time from the root
    /// with O_NOFOLLOW, so a link anywhere on the way is refused, not followed.
    private func openParent(_ relative: String) throws(EditError) -> (Int32, String) {
        let components = relative.split(separator: "/").map(String.init).filter { $0 != "." }
        guard let name = components.last, !components.contains("..") else {
            throw .pathOutsideTree(relative, reason: "not a file inside the tree \(root)")
        }
        var directory = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw .io(root, reason: Self.lastError) }
        var walked = ""
        for component in components.dropLast() {
            walked = walked.isEmpty ? component : walked + "/" + component
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let failure = errno
            close(directory)
            guard next >= 0 else {
                if failure == ELOOP || failure == ENOTDIR { throw Self.linkRefusal(relative, at: walked) }
                throw failure == ENOENT ? .notFound(relative) : .io(walked, reason: String(cString: strerror(failure)))
            }
            directory = next
        }
        return (directory, name)
    }

    /// The permission bits of `name` in `directory`, which must be a regular file.
    private func regularFileMode(in directory: Int32, _ name: String, _ relative: String) throws(EditError) -> mode_t {
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw errno == ENOENT ? .notFound(relative) : .io(relative, reason: Self.lastError)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return info.st_mode & 0o7777
        case S_IFLNK: throw Self.linkRefusal(relative, at: relative)
        default: throw .io(relative, reason: "not a regular file")
        }
    }

    static var lastError: String { String(cString: strerror(errno)) }

    /// 16 hex digits from the system's random source (getrandom on Linux).
    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next()
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
