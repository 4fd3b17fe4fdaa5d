/// The headers and message of a commit object, read from its bytes: after libgit2 has
/// split off the signature, this spares a second object lookup per commit when thousands
/// are verified.
struct CommitText {
    var parents: [ObjectID] = []
    var committerName = ""
    var committerEmail = ""
    var committerTime = 0
    var message = ""

    init(_ bytes: [UInt8]) {
        var index = 0
        var sawCommitter = false
        while index < bytes.count {
            var end = index
            while end < bytes.count, bytes[end] != 0x0a { end += 1 }
            if end == index {
                message = String(decoding: bytes[min(end + 1, bytes.count)...], as: UTF8.self)
                return
            }
            let line = bytes[index..<end]
            if line.starts(with: Self.parent), let id = ObjectID(hex: String(decoding: line.dropFirst(Self.parent.count), as: UTF8.self)) {
                parents.append(id)
            } else if line.starts(with: Self.committer), !sawCommitter {
                sawCommitter = true
                readCommitter(Array(line.dropFirst(Self.committer.count)))
            }
            index = end + 1
        }
    }

    private static let parent = Array("parent ".utf8)
    private static let committer = Array("committer ".utf8)

    /// `NAME <EMAIL> SECONDS ZONE`
    private mutating func readCommitter(_ text: [UInt8]) {
        guard let open = text.firstIndex(of: 0x3c), let close = text[open...].firstIndex(of: 0x3e) else { return }
        committerName = String(decoding: text[..<open], as: UTF8.self).trimmingSpaces
        committerEmail = String(decoding: text[(open + 1)..<close], as: UTF8.self)
        let rest = text[(close + 1)...].split(separator: 0x20)
        if let seconds = rest.first { committerTime = Int(String(decoding: seconds, as: UTF8.self)) ?? 0 }
    }

    /// The first line of the message.
    var summary: String {
        String(message.prefix { $0 != "\n" })
    }
}

extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
