import Foundation

/// Where libcurl's callbacks put one answer: the status line's headers and the body,
/// each bounded. Touched only by the thread running the transfer, except `cancel()`.
final class TransferSink: @unchecked Sendable {
    /// Header bytes past which the transfer is cut off; no forge sends near this much.
    static let maxHeaderBytes = 1 << 20

    let maxBodyBytes: Int
    private(set) var body = Data()
    private(set) var headers: [String: String] = [:]
    private(set) var headerBytes = 0
    /// Why the sink stopped the transfer, when it did.
    private(set) var overflow: String?
    private let lock = NSLock()
    private var cancelled = false

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Takes a chunk of body; false (abort) when it would pass the bound.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count <= maxBodyBytes - body.count else {
            overflow = "the answer is larger than \(maxBodyBytes) bytes; cut off"
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Takes one header line; a status line starts a new set (after a 100 Continue).
    func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Bool {
        headerBytes += bytes.count
        guard headerBytes <= Self.maxHeaderBytes else {
            overflow = "the answer's headers are larger than \(Self.maxHeaderBytes) bytes; cut off"
            return false
        }
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            headers = [:]
            return true
        }
        guard let colon = line.firstIndex(of: ":") else { return true }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if let earlier = headers[name] {
            headers[name] = earlier + ", " + value
        } else {
            headers[name] = value
        }
        return true
    }

    func cancel() {
        lock.withLock { cancelled = true }
    }

    var isCancelled: Bool { lock.withLock { cancelled } }
}
