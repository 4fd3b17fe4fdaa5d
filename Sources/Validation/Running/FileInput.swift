import Foundation
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
                guard haystack.count >= pattern.count, let base = haystack.baseAddress, let first = pattern.first else { return false }
                var index = 0
                let last = haystack.count - pattern.count
                while index <= last {
                    if haystack[index] == first, memcmp(base + index, pattern.baseAddress!, pattern.count) == 0 { return true }
                    index += 1
                }
                return false
            }
        }
    }
}

/// The whole file through open(2)/read(2), so a failure names the system's reason
/// (`Permission denied`, `Input/output error`) rather than a bare "cannot read".
private func readWholeFile(_ path: String) throws(ValidationFailure) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .unreadableInput(path: path, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 { return bytes }
        if count < 0 {
            if errno == EINTR { continue }
            throw .unreadableInput(path: path, reason: String(cString: strerror(errno)))
        }
        bytes.append(contentsOf: chunk[0..<count])
    }
}
