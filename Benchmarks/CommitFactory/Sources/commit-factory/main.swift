import Foundation
import Git
import Signatures

// commit-factory REPO COUNT SECRET_KEY... — adds COUNT commits on HEAD, each signed by
// the next key in turn, and moves HEAD's branch to the last one.
let arguments = CommandLine.arguments
guard arguments.count >= 4, let count = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: commit-factory REPO COUNT SECRET_KEY...\n".utf8))
    exit(2)
}
do {
    let signers = try arguments[3...].map { path throws(SignatureError) in try SigningKeys.load(path: path, passphrase: nil) }
    let repository = try Repository.open(arguments[1])
    var parent = try repository.resolve("HEAD")
    let tree = try repository.tree(ofCommit: parent)
    let start = Int(Date().timeIntervalSince1970) + 60
    for index in 0..<count {
        let person = CommitPerson(name: "Bench", email: "bench@example.com", time: start + index)
        let payload = try repository.commitPayload(tree: tree, parents: [parent], author: person, committer: person,
                                                   message: "bench commit \(index)\n")
        let signature = try signers[index % signers.count].sign(payload, at: start + index)
        parent = try repository.writeSignedCommit(payload: payload, signature: signature, updating: nil)
    }
    try repository.moveReference("HEAD", to: parent, message: "commit-factory")
    print(parent.hex)
} catch {
    FileHandle.standardError.write(Data("commit-factory: \(error)\n".utf8))
    exit(1)
}
