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
    public func fetch(from url: RemoteURL, refspecs: [String], credentials: Credentials) throws(GitError) {
        let session = RemoteSession(url: url, credentials: credentials)
        var remote: OpaquePointer?
        try check("set up remote \(url)", git_remote_create_anonymous(&remote, pointer, url.url))
        defer { git_remote_free(remote) }
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        session.install(into: &options.callbacks)
        let result = withStrings(refspecs) { array in
            git_remote_fetch(remote, &array, &options, nil)
        }
        if result < 0 { throw session.error("fetch \(url)", result) }
    }

    /// Pushes `refspecs` (`+src:dst` forces) to `url`, returning what the server said of
    /// each reference; a rejected update is a result, not an error.
    public func push(to url: RemoteURL, refspecs: [String], credentials: Credentials) throws(GitError) -> [PushResult] {
        let session = RemoteSession(url: url, credentials: credentials)
        var remote: OpaquePointer?
        try check("set up remote \(url)", git_remote_create_anonymous(&remote, pointer, url.url))
        defer { git_remote_free(remote) }
        var options = git_push_options()
        git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
        session.install(into: &options.callbacks)
        let result = withStrings(refspecs) { array in
            git_remote_push(remote, &array, &options)
        }
        if result < 0 {
            if result == GIT_ENONFASTFORWARD.rawValue {
                return refspecs.map { PushResult(reference: Self.destination(of: $0), rejection: "non-fast-forward") }
            }
            throw session.error("push to \(url)", result)
        }
        return refspecs.map { refspec in
            let destination = Self.destination(of: refspec)
            return PushResult(reference: destination, rejection: session.rejections[destination])
        }
    }

    static func destination(of refspec: String) -> String {
        String(refspec.split(separator: ":").last ?? Substring(refspec))
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
