/// What `set image NAME[=NEWNAME][:TAG][@DIGEST]` asks for, with `kustomize edit set
/// image` semantics: a new tag drops an old digest (it would pin the old image), a digest
/// alone drops the tag (`name@digest`), both give `name:tag@digest`, and a bare rename
/// keeps whatever tag and digest were there.
public struct ImageUpdate: Sendable, Hashable, CustomStringConvertible {
    /// The image being looked for (its tag and digest are ignored when matching).
    public let image: ImageReference
    public let newName: String?
    public let tag: String?
    public let digest: String?

    public init(image: ImageReference, newName: String? = nil, tag: String? = nil, digest: String? = nil) {
        self.image = image
        self.newName = newName
        self.tag = tag
        self.digest = digest
    }

    /// Parses the command-line form.
    public static func parse(_ spec: String) throws(EditError) -> ImageUpdate {
        let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let update: ImageUpdate
        if parts.count == 2 {
            let old = try ImageReference.parse(parts[0])
            guard old.tag == nil, old.digest == nil else {
                throw .invalidImage(spec, reason: "put the tag or digest after the new name: NAME=NEWNAME:TAG")
            }
            let new = try ImageReference.parse(parts[1])
            update = ImageUpdate(image: old, newName: new.name == old.name ? nil : new.name, tag: new.tag, digest: new.digest)
        } else {
            let reference = try ImageReference.parse(spec)
            update = ImageUpdate(image: reference, tag: reference.tag, digest: reference.digest)
        }
        guard update.newName != nil || update.tag != nil || update.digest != nil else {
            throw .invalidImage(spec, reason: "give a tag (:TAG), a digest (@sha256:...) or a new name (=NEWNAME)")
        }
        return update
    }

    /// Whether `reference` names the image this update is for.
    public func matches(_ reference: ImageReference) -> Bool {
        reference.normalizedName == image.normalizedName
    }

    /// The tag and digest a reference ends up with.
    public func tagAndDigest(from current: (tag: String?, digest: String?)) -> (tag: String?, digest: String?) {
        switch (tag, digest) {
        case let (tag?, digest?): (tag, digest)
        case let (tag?, nil): (tag, nil)
        case let (nil, digest?): (nil, digest)
        case (nil, nil): current
        }
    }

    /// `reference` rewritten, keeping its spelling unless a new name is asked for.
    public func rewrite(_ reference: ImageReference) -> String {
        let result = tagAndDigest(from: (reference.tag, reference.digest))
        return reference.with(name: newName, tag: result.tag, digest: result.digest)
    }

    public var description: String {
        image.name + (newName.map { "=" + $0 } ?? "") + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0 } ?? "")
    }
}
