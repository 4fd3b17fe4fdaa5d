import Foundation
import YAML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input: a file on disk or bytes already read (standard input).
enum FileInput: Sendable {
    case disk(String)
    case memory(path: String, bytes: [UInt8])

    var path: String {
        switch self {
        case let .disk(path): path
        case let .memory(path, _): path
        }
    }

    func read() throws(ValidationFailure) -> [UInt8] {
        switch self {
        case let .memory(_, bytes): return bytes
        case let .disk(path):
            return try readWholeFile(path)
        }
    }

    /// A cheap test before parsing: only files that mention CustomResourceDefinition are parsed early.
    var mayHoldDefinition: Bool {
        guard let bytes = try? read() else { return false }
        let needle = Array("CustomResourceDefinition".utf8)
        return bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { pattern in
                guard haystack.count >= pattern.count, let base = haystack.baseAddress, let needleBase = pattern.baseAddress,
                      let first = pattern.first else { return false }
                var index = 0
                let last = haystack.count - pattern.count
                while index <= last {
                    if haystack[index] == first, memcmp(base + index, needleBase, pattern.count) == 0 { return true }
                    index += 1
                }
                return false
            }
        }
    }
}

/// The whole file through open(2)/read(2), so a failure names the system's reason
/// (`Permission denied`, `Input/output error`) rather than a bare "cannot read". The buffer
/// is sized from fstat(2) (grown for files that report no size, as in /proc); reading stops
/// one byte past the YAML size limit, so `/dev/zero` named on the command line is a
/// too-large finding instead of unbounded memory.
private func readWholeFile(_ path: String) throws(ValidationFailure) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .unreadableInput(path: path, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    let limit = YAMLLimits.default.maxBytes + 1
    var status = stat()
    let size = fstat(descriptor, &status) == 0 ? Int(clamping: status.st_size) : 0
    var buffer = [UInt8](repeating: 0, count: min(limit, max(size, 0) + 1))
    var filled = 0
    while filled < limit {
        if filled == buffer.count { buffer += [UInt8](repeating: 0, count: min(limit - filled, max(filled, 4096))) }
        let count = buffer.withUnsafeMutableBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            return read(descriptor, base + filled, raw.count - filled)
        }
        if count == 0 { break }
        if count < 0 {
            if errno == EINTR { continue }
            throw .unreadableInput(path: path, reason: String(cString: strerror(errno)))
        }
        filled += count
    }
    buffer.removeSubrange(filled...)
    return buffer
}
