import BuildInfo
import Forges
import Git
import Signatures
import Validation
import YAML

/// `capstan version`: this build and the libraries it is linked against.
public struct VersionInfo: Outcome {
    public static let capstanVersion = BuildInfo.version
    /// What `capstan --version` prints: the version and the commit, abbreviated.
    public static var versionLine: String { "\(BuildInfo.version) (\(BuildInfo.commit.prefix(12)))" }

    public let version: String
    /// The commit the binary was built from ("unknown" outside a Git checkout).
    public let commit: String
    public let libgit2: String
    public let libgit2Features: [String]
    public let openssl: String
    public let libyaml: String
    /// The libcurl the HTTP transport links, with the TLS library it uses.
    public let libcurl: String
    public let zlib: String

    public init() {
        version = Self.capstanVersion
        commit = BuildInfo.commit
        libgit2 = LibGit2.version
        libgit2Features = LibGit2.features
        openssl = Digest.openSSLVersion
        libyaml = YAMLLibrary.version
        libcurl = TransportVersion.libcurl
        zlib = Inflater.zlibVersion
    }

    public var text: String {
        "capstan \(version) (commit \(commit))\nlibgit2 \(libgit2) (\(libgit2Features.joined(separator: ", ")))\n\(openssl)\nlibyaml \(libyaml)\n\(libcurl)\nzlib \(zlib)\n"
    }

    public var notes: [String] { [] }
}
