internal import CGit2

/// The owner of a `git_signature` (libgit2's name for a person and a time) made from a
/// `CommitPerson`: at their own time, or now (in the local offset) when they have none.
final class SignatureHandle {
    let pointer: UnsafeMutablePointer<git_signature>

    init(_ person: CommitPerson) throws(GitError) {
        var handle: UnsafeMutablePointer<git_signature>?
        if let time = person.time {
            try check("make signature for \(person)",
                      git_signature_new(&handle, person.name, person.email, git_time_t(time), Int32(person.offsetMinutes)))
        } else {
            try check("make signature for \(person)", git_signature_now(&handle, person.name, person.email))
        }
        guard let handle else { throw GitError(operation: "make signature for \(person)", code: -1, message: "no signature") }
        pointer = handle
    }

    deinit { git_signature_free(pointer) }
}
