import Foundation
internal import CGit2

/// What the server answered for one pushed reference.
public struct PushResult: Sendable, Equatable {
    public let reference: String
    /// nil when the server accepted the update; otherwise its words ("fetch first",
    /// "non-fast-forward", "failed to update ref", …).
    public let rejection: String?

    public var accepted: Bool { rejection == nil }
}

extension Repository {
    /// Fetches `refspecs` from `url` with an in-memory remote, so the URL given (which may
    /// carry a token) never reaches .git/config; credentials go through the callback.
    public func fetch(from url: RemoteURL, refspecs: [String], credentials: Credentials,
                      options remoteOptions: RemoteOptions = RemoteOptions()) throws(GitError) {
        let (session, result) = try connecting(to: url, credentials: credentials, remoteOptions) { session throws(GitError) in
            var remote: OpaquePointer?
            try check("set up remote \(url)", git_remote_create_anonymous(&remote, pointer, url.url))
            defer { git_remote_free(remote) }
            var options = git_fetch_options()
            git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
            options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
            options.follow_redirects = Self.redirectPolicy
            session.install(into: &options.callbacks)
            let proxy = ProxySetting(remoteOptions.proxy)
            proxy.apply(to: &options.proxy_opts)
            return withExtendedLifetime(proxy) {
                withStrings(refspecs) { array in git_remote_fetch(remote, &array, &options, nil) }
            }
        }
        if result < 0 { throw session.error("fetch \(url)", result) }
    }

    /// Pushes `refspecs` (`+src:dst` forces) to `url`, returning what the server said of
    /// each reference; a rejected update is a result, not an error.
    public func push(to url: RemoteURL, refspecs: [String], credentials: Credentials,
                     options remoteOptions: RemoteOptions = RemoteOptions()) throws(GitError) -> [PushResult] {
        let (session, result) = try connecting(to: url, credentials: credentials, remoteOptions) { session throws(GitError) in
            var remote: OpaquePointer?
            try check("set up remote \(url)", git_remote_create_anonymous(&remote, pointer, url.url))
            defer { git_remote_free(remote) }
            var options = git_push_options()
            git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
            options.follow_redirects = Self.redirectPolicy
            session.install(into: &options.callbacks)
            let proxy = ProxySetting(remoteOptions.proxy)
            proxy.apply(to: &options.proxy_opts)
            return withExtendedLifetime(proxy) {
                withStrings(refspecs) { array in git_remote_push(remote, &array, &options) }
            }
        }
        return try Self.pushResults(refspecs, result, session, url)
    }

    /// Runs one remote operation with a fresh session. When an SSH server showed a key of a
    /// type the known_hosts file does not list for it, but the file lists others, runs it
    /// once more asking for those (see `HostKeyPreference`): nothing was sent before the
    /// host-key check, so the retry is safe. A retry that could not agree on a key type at
    /// all says less than the first refusal, which is then the answer.
    func connecting(to url: RemoteURL, credentials: Credentials, _ options: RemoteOptions,
                    _ operation: (RemoteSession) throws(GitError) -> Int32) throws(GitError) -> (RemoteSession, Int32) {
        let session = RemoteSession(url: url, credentials: credentials, options: options)
        let result = try operation(session)
        guard result < 0, !session.hostKeyAccepted, !session.otherKnownHostKeys.isEmpty else { return (session, result) }
        let retry = RemoteSession(url: url, credentials: credentials, options: options)
        let second = try HostKeyPreference.asking(for: session.otherKnownHostKeys) { () throws(GitError) in try operation(retry) }
        return second >= 0 || retry.hostKeyAccepted || retry.hostKeyProblem != nil ? (retry, second) : (session, result)
    }

    /// The references the remote advertises now (`git ls-remote`): how a push is read back.
    public func remoteReferences(at url: RemoteURL, credentials: Credentials,
                                 options remoteOptions: RemoteOptions = RemoteOptions()) throws(GitError) -> [String: ObjectID] {
        var found: [String: ObjectID] = [:]
        let (session, result) = try connecting(to: url, credentials: credentials, remoteOptions) { session throws(GitError) in
            var remote: OpaquePointer?
            try check("set up remote \(url)", git_remote_create_anonymous(&remote, pointer, url.url))
            defer { git_remote_free(remote) }
            guard let handle = remote else { return -1 }
            let connected = Self.connect(handle, GIT_DIRECTION_FETCH, session, ProxySetting(remoteOptions.proxy))
            guard connected == 0 else { return connected }
            defer { git_remote_disconnect(handle) }
            return Self.advertised(by: handle, into: &found)
        }
        if result < 0 { throw session.error("read the references of \(url)", result) }
        return found
    }

    /// Redirects for every Git operation: libgit2 then follows one only to the same host (never
    /// HTTPS→HTTP) and refuses the rest, so nothing, not even an anonymous push or the read-back
    /// after it, goes to another host. (`git_remote_connect` would take `http.followRedirects`,
    /// whose default follows the first redirect anywhere.)
    static let redirectPolicy = GIT_REMOTE_REDIRECT_NONE

    /// Connects `remote` with the session's callbacks, the proxy and `redirectPolicy`.
    static func connect(_ remote: OpaquePointer, _ direction: git_direction, _ session: RemoteSession, _ proxy: ProxySetting) -> Int32 {
        var options = git_remote_connect_options()
        git_remote_connect_options_init(&options, UInt32(GIT_REMOTE_CONNECT_OPTIONS_VERSION))
        options.follow_redirects = redirectPolicy
        session.install(into: &options.callbacks)
        proxy.apply(to: &options.proxy_opts)
        return withExtendedLifetime(proxy) { git_remote_connect_ext(remote, direction, &options) }
    }

    static func destination(of refspec: String) -> String {
        String(refspec.split(separator: ":").last ?? Substring(refspec))
    }
}

/// An HTTP(S) proxy URL held as a C string for libgit2's proxy options, freed with it.
final class ProxySetting {
    private let url: UnsafeMutablePointer<CChar>?

    init(_ proxy: String?) { url = proxy.map { strdup($0) } }

    deinit { free(url) }

    /// Points `options` at the proxy, or at none (a direct connection).
    func apply(to options: inout git_proxy_options) {
        guard let url else {
            options.type = GIT_PROXY_NONE
            return
        }
        options.type = GIT_PROXY_SPECIFIED
        options.url = UnsafePointer(url)
    }
}

/// Calls `body` with a `git_strarray` over `strings`, valid only during the call.
func withStrings<T>(_ strings: [String], _ body: (inout git_strarray) -> T) -> T {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return body(&array)
    }
}
