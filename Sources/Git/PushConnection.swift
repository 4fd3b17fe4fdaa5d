import Foundation
internal import CGit2

/// One connection to a remote in the push direction, held from reading the remote's
/// references to pushing. The server moves a reference only from the tip it advertised
/// (receive-pack's compare-and-swap), so building on those tips and pushing over the same
/// connection asks for the advertisement once, not twice; a tip that moved meanwhile still
/// makes the push a rejection. Owns the `git_remote` handle; one push per connection.
public final class PushConnection {
    public let url: RemoteURL
    /// The references the server advertised when the connection was made.
    public let references: [String: ObjectID]
    /// Kept alive as long as the remote, which points into it.
    private let repository: Repository
    private let remote: OpaquePointer
    /// The callbacks' state (credentials, deadline, rejections), for the push as for the connection.
    private let session: RemoteSession
    private let proxy: ProxySetting
    private var used = false

    fileprivate init(url: RemoteURL, repository: Repository, remote: OpaquePointer, session: RemoteSession, proxy: ProxySetting,
                     references: [String: ObjectID]) {
        self.url = url
        self.repository = repository
        self.remote = remote
        self.session = session
        self.proxy = proxy
        self.references = references
    }

    deinit {
        git_remote_disconnect(remote)
        git_remote_free(remote)
    }

    /// Pushes `refspecs` (`+src:dst` forces) over this connection, judged against the tips
    /// it advertised; returns what the server said of each reference (a rejected update is
    /// a result, not an error). A second push on one connection is refused.
    public func push(_ refspecs: [String]) throws(GitError) -> [PushResult] {
        guard !used else { throw GitError(operation: "push to \(url)", code: -1, message: "this connection has pushed already") }
        used = true
        defer { git_remote_disconnect(remote) }
        var options = git_push_options()
        git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
        options.follow_redirects = Repository.redirectPolicy
        session.install(into: &options.callbacks)
        proxy.apply(to: &options.proxy_opts)
        let result = withExtendedLifetime(proxy) {
            withStrings(refspecs) { array in git_remote_upload(remote, &array, &options) }
        }
        return try Repository.pushResults(refspecs, result, session, url)
    }
}

extension Repository {
    /// Connects to `url` to push, with the same callbacks as every remote operation
    /// (credentials bound to the origin, the deadline, the proxy, SSH host keys), and keeps
    /// the advertised references.
    public func connectForPush(to url: RemoteURL, credentials: Credentials,
                               options remoteOptions: RemoteOptions = RemoteOptions()) throws(GitError) -> PushConnection {
        var connection: PushConnection?
        let (session, result) = try connecting(to: url, credentials: credentials, remoteOptions) { session throws(GitError) in
            var handle: OpaquePointer?
            try check("set up remote \(url)", git_remote_create_anonymous(&handle, pointer, url.url))
            guard let remote = handle else { return -1 }
            let proxy = ProxySetting(remoteOptions.proxy)
            let connected = Self.connect(remote, GIT_DIRECTION_PUSH, session, proxy)
            guard connected == 0 else {
                git_remote_free(remote)
                return connected
            }
            var references: [String: ObjectID] = [:]
            let listed = Self.advertised(by: remote, into: &references)
            guard listed == 0 else {
                git_remote_disconnect(remote)
                git_remote_free(remote)
                return listed
            }
            connection = PushConnection(url: url, repository: self, remote: remote, session: session, proxy: proxy, references: references)
            return 0
        }
        if result < 0 { throw session.error("connect to \(url) to push", result) }
        guard let connection else { throw GitError(operation: "connect to \(url) to push", code: -1, message: "no connection was made") }
        return connection
    }

    /// Copies the references a connected remote advertised (`git_remote_ls`).
    static func advertised(by remote: OpaquePointer, into found: inout [String: ObjectID]) -> Int32 {
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        let listed = git_remote_ls(&heads, &count, remote)
        guard listed == 0, let heads else { return listed }
        for index in 0..<count {
            guard let head = heads[index]?.pointee, let name = head.name else { continue }
            found[String(cString: name)] = ObjectID(head.oid)
        }
        return 0
    }

    /// What a push's return code and the server's per-reference answers mean.
    static func pushResults(_ refspecs: [String], _ result: Int32, _ session: RemoteSession,
                            _ url: RemoteURL) throws(GitError) -> [PushResult] {
        if result < 0 {
            if result == GIT_ENONFASTFORWARD.rawValue {
                return refspecs.map { PushResult(reference: destination(of: $0), rejection: "non-fast-forward") }
            }
            throw session.error("push to \(url)", result)
        }
        return refspecs.map { refspec in
            let destination = destination(of: refspec)
            return PushResult(reference: destination, rejection: session.rejections[destination])
        }
    }
}
