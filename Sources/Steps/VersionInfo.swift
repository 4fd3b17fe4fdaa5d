import Git
import Signatures
import YAML

/// `capstan version`: this build and the libraries it is linked against.
public struct VersionInfo: Outcome {
    public static let capstanVersion = "0.1.0-dev"

    public let version: String
    public let libgit2: String
    public let libgit2Features: [String]
    public let openssl: String
    public let libyaml: String

    public init() {
        version = Self.capstanVersion
        libgit2 = LibGit2.version
        libgit2Features = LibGit2.features
        openssl = Digest.openSSLVersion
        libyaml = YAMLLibrary.version
    }

    public var text: String {
        "capstan \(version)\nlibgit2 \(libgit2) (\(libgit2Features.joined(separator: ", ")))\n\(openssl)\nlibyaml \(libyaml)\n"
    }

    public var notes: [String] { [] }
}
