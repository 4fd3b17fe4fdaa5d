internal import CGit2

/// The process-wide libgit2 runtime. libgit2 must be initialised before any call and
/// counts its initialisations, so one shared owner does it once and never shuts down
/// while a repository handle could still be alive.
public enum LibGit2 {
    private static let initialised: Bool = git_libgit2_init() > 0

    /// The linked libgit2's version, e.g. "1.5.1".
    public static var version: String {
        _ = initialised
        var major: Int32 = 0
        var minor: Int32 = 0
        var revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }

    /// Which transports this libgit2 was built with (HTTPS, SSH).
    public static var features: [String] {
        _ = initialised
        let flags = git_libgit2_features()
        var names: [String] = []
        if flags & Int32(GIT_FEATURE_HTTPS.rawValue) != 0 { names.append("https") }
        if flags & Int32(GIT_FEATURE_SSH.rawValue) != 0 { names.append("ssh") }
        if flags & Int32(GIT_FEATURE_THREADS.rawValue) != 0 { names.append("threads") }
        return names
    }
}

extension LibGit2 {
    /// Trusts the certificate authorities in `file` (PEM) for HTTPS remotes, in place of
    /// the system's: for self-hosted forges with a private CA. Process-wide, as in libgit2.
    public static func trustCertificateAuthorities(file: String) throws(GitError) {
        _ = version
        try check("load CA bundle \(file)", capstan_git_set_ssl_cert_locations(file, nil))
    }
}

extension LibGit2 {
    /// Whether `name` can be a branch name (`refs/heads/NAME` is a valid reference name).
    public static func isValidBranchName(_ name: String) -> Bool {
        _ = version
        var valid: Int32 = 0
        return git_reference_name_is_valid(&valid, "refs/heads/" + name) == 0 && valid == 1
    }
}
