import Foundation
import Git
import Signatures

/// The key Capstan signs its own commits with (`capstan update --sign-key FILE`): an
/// armored OpenPGP secret key or an OpenSSH private key, either one optionally protected by
/// a passphrase from an environment variable (never printed). Commits it makes pass
/// `git verify-commit`.
public struct CommitSigningKey: Sendable {
    public static let passphraseVariable = "CAPSTAN_SIGN_PASSPHRASE"

    let signer: any DocumentSigner

    /// The key's fingerprint, for logs.
    public var fingerprint: String { signer.keyDescription }

    public init(path: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                passphraseVariable: String = CommitSigningKey.passphraseVariable) throws(SignatureError) {
        signer = try SigningKeys.load(path: path, passphrase: environment[passphraseVariable], passphraseSource: "$" + passphraseVariable)
    }

    /// Writes a signed commit of `tree` on `parents` and moves `reference` ("HEAD" or a
    /// full ref name) to it; the signature's time is the committer's (now when they have none).
    public func commit(in repository: Repository, tree: ObjectID, parents: [ObjectID], author: CommitPerson,
                       committer: CommitPerson, message: String, updating reference: String?) throws -> ObjectID {
        let time = committer.time ?? Int(Date().timeIntervalSince1970)
        let committer = committer.at(time)
        return try repository.createSignedCommit(tree: tree, parents: parents, author: author, committer: committer,
                                          message: message, updating: reference) { (payload: [UInt8]) throws(SignatureError) -> String in
            try signer.sign(payload, at: time)
        }
    }
}

extension CommitSigningKey {
    /// The key as a `CommitSigner` for `Repository.commit`, signing at the current time
    /// (the moment the commit's committer line is made).
    public var commitSigner: CommitSigner {
        let signer = self.signer
        return { payload in
            do {
                return try signer.sign(payload, at: Int(Date().timeIntervalSince1970))
            } catch {
                throw error
            }
        }
    }
}
