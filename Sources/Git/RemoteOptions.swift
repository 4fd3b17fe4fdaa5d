import Foundation

/// How one fetch or push may use the network: when it must be over, and which proxy to
/// go through.
public struct RemoteOptions: Sendable {
    /// The moment the operation is abandoned, stalled or not (`--timeout`).
    public var deadline: Date?
    /// An HTTP(S) proxy URL, or nil to connect directly.
    public var proxy: String?

    public init(deadline: Date? = nil, proxy: String? = nil) {
        self.deadline = deadline
        self.proxy = proxy
    }
}

/// The proxy the usual environment variables choose for a remote, as curl reads them:
/// `https_proxy` for https, `http_proxy` for http (either case), then `all_proxy`; none
/// when `no_proxy` lists the host (`*`, a host, a domain suffix, optionally `:port`).
public enum ProxyChoice {
    public static func proxy(for url: RemoteURL, environment: [String: String]) -> String? {
        let names: [String]
        switch url.scheme {
        case .https: names = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
        case .http: names = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
        case .ssh, .file: return nil
        }
        guard let proxy = names.lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) else { return nil }
        let (host, port) = RemoteSession.hostAndPort(url.host, defaultPort: url.scheme == .https ? 443 : 80)
        if bypasses(host: host.lowercased(), port: port, noProxy: environment["no_proxy"] ?? environment["NO_PROXY"] ?? "") {
            return nil
        }
        return proxy.contains("://") ? proxy : "http://" + proxy
    }

    static func bypasses(host: String, port: Int, noProxy: String) -> Bool {
        for raw in noProxy.split(separator: ",") {
            var entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if entry == "*" { return true }
            if entry.isEmpty { continue }
            if let colon = entry.lastIndex(of: ":"), !entry.hasSuffix("]"), let entryPort = Int(entry[entry.index(after: colon)...]) {
                if entryPort != port { continue }
                entry = String(entry[..<colon])
            }
            if entry.hasPrefix("[") && entry.hasSuffix("]") { entry = String(entry.dropFirst().dropLast()) }
            while entry.hasPrefix(".") || entry.hasPrefix("*") { entry.removeFirst() }
            if host == entry || host.hasSuffix("." + entry) { return true }
        }
        return false
    }
}

/// Ends a stalled network operation at its deadline. libgit2 1.5 has no socket timeout
/// and calls no callback while a server sends nothing, so at the deadline the sockets
/// opened since the operation began are shut down; libgit2's read then fails and the
/// operation returns, and `fired` says why.
final class DeadlineWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var hasFired = false
    private let socketsBefore: Set<Int32>

    init(deadline: Date?) {
        socketsBefore = Self.sockets()
        guard let deadline else { return }
        let delay = max(0, deadline.timeIntervalSinceNow)
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [self] in fire() }
    }

    var fired: Bool {
        lock.lock()
        defer { lock.unlock() }
        return hasFired
    }

    /// Marks the deadline as passed (from a progress callback, or the timer).
    func expire() {
        lock.lock()
        hasFired = true
        lock.unlock()
    }

    func finish() {
        lock.lock()
        finished = true
        lock.unlock()
    }

    private func fire() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        hasFired = true
        for descriptor in Self.sockets().subtracting(socketsBefore) { shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    /// The process's open socket descriptors (Linux: /proc/self/fd).
    private static func sockets() -> Set<Int32> {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return [] }
        var found = Set<Int32>()
        for name in names {
            guard let descriptor = Int32(name),
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name),
                  target.hasPrefix("socket:") else { continue }
            found.insert(descriptor)
        }
        return found
    }
}
