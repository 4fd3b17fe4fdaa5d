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
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .unreadableInput(path: path, reason: "cannot read the file")
            }
            return [UInt8](data)
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
