import Foundation
internal import CGit2

/// State shared with libgit2's remote callbacks for one fetch or push: the credentials to
/// offer (at most a few times, so a wrong token ends in an error instead of a loop), the
/// known hosts to check SSH host keys against, and what the server said about each
/// pushed reference.
final class RemoteSession {
    let url: RemoteURL
    let credentials: Credentials
    private(set) var credentialAttempts = 0
    private(set) var hostKeyProblem: String?
    /// Whether the server's SSH host key passed the known_hosts check.
    private(set) var hostKeyAccepted = false
    /// When the server showed a key of a type the known_hosts file does not list for it:
    /// the file's entries for that host of other types (ssh-rsa last), to ask for instead.
    private(set) var otherKnownHostKeys: [String] = []
    /// refname → the server's rejection message; absent when accepted.
    var rejections: [String: String] = [:]
    var updatedReferences: [String] = []

    /// Set when a server redirected to another origin (or from HTTPS to HTTP).
    private(set) var redirectProblem: String?
    let options: RemoteOptions
    let watch: DeadlineWatch

    static let maxCredentialAttempts = 3

    init(url: RemoteURL, credentials: Credentials, options: RemoteOptions = RemoteOptions()) {
        self.url = url
        self.credentials = credentials
        self.options = options
        watch = DeadlineWatch(deadline: options.deadline)
    }

    deinit { watch.finish() }

    /// Whether the deadline has passed; progress callbacks return non-zero then, which
    /// makes libgit2 abandon a transfer that still trickles.
    func isOverdue() -> Bool {
        guard let deadline = options.deadline, Date() >= deadline else { return false }
        watch.expire()
        return true
    }

    /// Fills libgit2 callbacks that call back into this session.
    func install(into callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = { output, address, usernameFromURL, allowed, payload in
            guard let payload, let output else { return -1 }
            let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
            // After a redirect libgit2 asks for the credentials of the URL it was sent to.
            guard session.isSameOrigin(address.map { String(cString: $0) }) else { return GIT_EUSER.rawValue }
            return session.acquire(output, usernameFromURL.map { String(cString: $0) }, allowed)
        }
        callbacks.transfer_progress = { _, payload in
            guard let payload else { return 0 }
            return Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue().isOverdue() ? -1 : 0
        }
        callbacks.sideband_progress = { _, _, payload in
            guard let payload else { return 0 }
            return Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue().isOverdue() ? -1 : 0
        }
        callbacks.push_transfer_progress = { _, _, _, payload in
            guard let payload else { return 0 }
            return Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue().isOverdue() ? -1 : 0
        }
        callbacks.pack_progress = { _, _, _, payload in
            guard let payload else { return 0 }
            return Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue().isOverdue() ? -1 : 0
        }
        callbacks.certificate_check = { certificate, valid, host, payload in
            guard let payload, let certificate else { return -1 }
            let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
            return session.check(certificate, valid: valid != 0, host: host.map { String(cString: $0) } ?? "")
        }
        callbacks.push_update_reference = { reference, status, payload in
            guard let payload, let reference else { return 0 }
            let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
            let name = String(cString: reference)
            if let status {
                session.rejections[name] = String(cString: status)
            } else {
                session.updatedReferences.append(name)
            }
            return 0
        }
    }

    private func acquire(_ output: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, _ usernameFromURL: String?,
                         _ allowed: UInt32) -> Int32 {
        credentialAttempts += 1
        guard credentialAttempts <= Self.maxCredentialAttempts else { return GIT_EAUTH.rawValue }
        switch credentials {
        case .none:
            return GIT_PASSTHROUGH.rawValue
        case let .token(username, token):
            guard allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else { return GIT_PASSTHROUGH.rawValue }
            return git_credential_userpass_plaintext_new(output, username, token)
        case let .sshKey(username, privateKeyPath, passphrase, _):
            let user = username ?? usernameFromURL ?? url.username ?? "git"
            if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
                return git_credential_username_new(output, user)
            }
            guard allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 else { return GIT_PASSTHROUGH.rawValue }
            return git_credential_ssh_key_new(output, user, nil, privateKeyPath, passphrase)
        }
    }

    private func check(_ certificate: UnsafeMutablePointer<git_cert>, valid: Bool, host: String) -> Int32 {
        if !url.host.isEmpty, Self.hostAndPort(url.host).0.lowercased() != host.lowercased() {
            redirectProblem = "the server sent Capstan to \(host), another host than \(url.url); refused, and no credentials were sent"
            return GIT_ECERTIFICATE.rawValue
        }
        guard certificate.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
            // TLS: libgit2 has checked the chain against the system (or configured) CAs.
            return valid ? 0 : GIT_ECERTIFICATE.rawValue
        }
        guard case let .sshKey(_, _, _, knownHostsPath) = credentials else {
            hostKeyProblem = "an SSH remote needs --ssh-key and a known_hosts file"
            return GIT_ECERTIFICATE.rawValue
        }
        let hostKey = UnsafeRawPointer(certificate).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey else {
            hostKeyProblem = "the SSH library did not provide the server's host key"
            return GIT_ECERTIFICATE.rawValue
        }
        let key = Array(UnsafeRawBufferPointer(start: raw, count: hostKey.hostkey_len))
        guard let contents = try? String(contentsOfFile: knownHostsPath, encoding: .utf8) else {
            hostKeyProblem = "cannot read known_hosts file \(knownHostsPath)"
            return GIT_ECERTIFICATE.rawValue
        }
        let (name, port) = Self.hostAndPort(url.host)
        let knownHosts = KnownHosts(contents: contents)
        if knownHosts.accepts(host: name, port: port, key: key) {
            hostKeyAccepted = true
            return 0
        }
        hostKeyProblem = "host key of \(url.host) is not in \(knownHostsPath) (or does not match it)"
        let offered = KnownHosts.keyType(of: key)
        let others = knownHosts.entries(for: name, port: port).filter { $0.keyType != offered }
        // libgit2 would ask for ssh-rsa with SHA-1 signatures, which OpenSSH servers refuse since 8.8.
        otherKnownHostKeys = (others.filter { $0.keyType != "ssh-rsa" } + others.filter { $0.keyType == "ssh-rsa" }).map(\.line)
        return GIT_ECERTIFICATE.rawValue
    }

    static func hostAndPort(_ authority: String, defaultPort: Int = 22) -> (String, Int) {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? defaultPort : defaultPort)
        }
        let parts = authority.split(separator: ":")
        return (String(parts.first ?? ""), parts.count > 1 ? Int(parts[1]) ?? defaultPort : defaultPort)
    }

    /// Whether `address` (the URL libgit2 is talking to now) has this remote's scheme, host
    /// and port. Credentials are bound to that origin: a redirect elsewhere gets none.
    func isSameOrigin(_ address: String?) -> Bool {
        guard let address, url.scheme == .http || url.scheme == .https else { return true }
        let other = RemoteURL(address)
        let defaultPort = url.scheme == .https ? 443 : 80
        let (host, port) = Self.hostAndPort(url.host, defaultPort: defaultPort)
        let (otherHost, otherPort) = Self.hostAndPort(other.host, defaultPort: other.scheme == .https ? 443 : 80)
        if other.scheme == url.scheme, otherHost.lowercased() == host.lowercased(), otherPort == port { return true }
        redirectProblem = other.scheme == .http && url.scheme == .https
            ? "the server redirected from HTTPS to HTTP (\(other.url)); refused, and no credentials were sent"
            : "the server redirected to another origin (\(other.scheme == .https ? "https" : "http")://\(other.host)); refused, and no credentials were sent"
        return false
    }

    /// A libgit2 failure phrased for a person, with every secret removed; a refused
    /// authentication carries `GIT_EAUTH` whatever code libgit2 returned.
    func error(_ operation: String, _ failure: Int32) -> GitError {
        var code = failure
        var message = git_error_last().map { String(cString: $0.pointee.message) } ?? "error \(code)"
        if let hostKeyProblem { message = hostKeyProblem }
        if let redirectProblem { return GitError(operation: operation, code: code, message: scrub(redirectProblem)) }
        // Redirects follow Repository.redirectPolicy (NONE): libgit2 then follows one only to the same
        // host (and never HTTPS→HTTP), on every request, and refuses the rest with these words.
        if message.hasPrefix("cannot redirect from") || message == "unexpected redirect" {
            return GitError(operation: operation, code: code,
                            message: scrub("the server redirected elsewhere (\(message)); refused, and no credentials were sent"))
        }
        if watch.fired || isOverdue() {
            let limit = options.deadline.map { " (the --timeout deadline, \(Self.clock($0)))" } ?? ""
            return GitError(operation: operation, code: -1,
                            message: "timed out: the server was still not done at the deadline\(limit); nothing more was sent")
        }
        // A host-key refusal keeps its own reason: its text names host:port, and a port such
        // as 30401 must not make it read as an HTTP 401.
        if hostKeyProblem == nil,
           credentialAttempts > Self.maxCredentialAttempts || code == GIT_EAUTH.rawValue || message.contains("401") {
            code = GIT_EAUTH.rawValue
            if case .none = credentials {
                message = "authentication failed: no token was sent to \(url.url); name the variable holding one with --token-env NAME "
                    + "(without it, a CI job's own token goes only to that CI's own server)"
            } else {
                message = "authentication failed (\(credentials)); check the token or key and its access to \(url.url)"
            }
        }
        return GitError(operation: operation, code: code, message: scrub(message))
    }

    private func scrub(_ text: String) -> String {
        var message = text
        for secret in credentials.secrets where !secret.isEmpty {
            message = message.replacingOccurrences(of: secret, with: "***", options: .literal)
        }
        return message
    }

    private static func clock(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }
}
