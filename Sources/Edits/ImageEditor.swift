#if canImport(Glibc)
import Glibc
#endif
import YAML

/// Finds every reference to one image in a file and rewrites it: container images in any
/// workload (every `image:` string, so containers, initContainers, ephemeralContainers and
/// custom resources that embed a pod template alike), `image:`
/// strings and `repository`/`tag`/`digest` maps in Helm values (files, HelmRelease
/// `spec.values`, Argo CD `valuesObject`), kustomization `images:` entries, Argo CD
/// `kustomize.images` lists and Image Updater write-back files, and Flux setter markers.
struct ImageEditor {
    let update: ImageUpdate
    let policies: ImagePolicyIndex

    private static let fluxImageKinds: Set<String> = ["ImageRepository", "ImagePolicy", "ImageUpdateAutomation"]

    /// Substrings a file must contain to hold a reference; others are not parsed.
    var needles: [String] { [update.image.shortName, ImageMarker.keyword] }

    func edit(_ edits: inout FileEdits, basename: String) throws(EditError) {
        for document in edits.file.documents {
            let root = document.root.resolved
            let kind = root["kind"]?.resolved.string
            let apiVersion = root["apiVersion"]?.resolved.string ?? ""
            if let kind, Self.fluxImageKinds.contains(kind), apiVersion.hasPrefix("image.toolkit.fluxcd.io") { continue }
            if KustomizationFile.isKustomization(basename: basename, kind: kind, apiVersion: apiVersion),
               let images = root["images"]?.resolved {
                for entry in images.items where entry.resolved.isMapping {
                    try kustomizationEntry(entry.resolved, &edits)
                }
            }
            try walk(root, &edits)
        }
        if edits.file.bytes.containsSubsequence(ImageMarker.keyword) {
            try markers(&edits)
        }
    }

    // MARK: The tree walk

    private func walk(_ root: Node, _ edits: inout FileEdits) throws(EditError) {
        // (node, the key it is the value of); aliases are not followed, their anchors are
        // visited where they are defined.
        var pending: [(Node, String?)] = [(root, nil)]
        while let (node, parentKey) = pending.popLast() {
            if node.isSequence {
                for item in node.items where item.kind != .alias { pending.append((item, parentKey)) }
                if parentKey == "images", node.parent?.keyInParent?.string == "kustomize" {
                    try kustomizeImageStrings(node, &edits)
                }
                if parentKey == "parameters", node.parent?.keyInParent?.string == "helm" {
                    try helmParameters(node, &edits)
                }
                continue
            }
            guard node.isMapping else { continue }
            if node["repository"]?.resolved.isScalar == true,
               node["tag"] != nil || node["digest"] != nil || parentKey?.lowercased().contains("image") == true {
                try helmImageMap(node, &edits)
            }
            for (key, value) in node.entries {
                guard let keyText = key.string else { continue }
                if keyText == "image", value.resolved.isScalar {
                    try imageString(value.resolved, &edits)
                } else if value.kind != .alias, value.isMapping || value.isSequence {
                    pending.append((value, keyText))
                }
            }
        }
    }

    /// `image: ghcr.io/org/app:1.2.3`. A reference with neither tag nor digest is left as
    /// it is: its tag is set elsewhere (a kustomization, a values file) or it floats on
    /// purpose, and a Flux ImageRepository's bare `spec.image` must never grow one.
    private func imageString(_ node: Node, _ edits: inout FileEdits) throws(EditError) {
        guard let text = node.string, !text.contains("{{"), let reference = ImageReference(text), update.matches(reference) else { return }
        guard reference.tag != nil || reference.digest != nil else { return edits.referenced(update.image.normalizedName) }
        try edits.set(node, to: update.rewrite(reference), kind: .image, subject: update.image.normalizedName)
    }

    /// kustomization.yaml `images:` entry, `kustomize edit set image` semantics.
    private func kustomizationEntry(_ entry: Node, _ edits: inout FileEdits) throws(EditError) {
        let names = [entry["name"], entry["newName"]].compactMap { $0?.resolved.string }.compactMap(ImageReference.init)
        guard names.contains(where: update.matches) else { return }
        let subject = update.image.normalizedName
        if let newName = update.newName { try edits.set(key: "newName", of: entry, to: newName, kind: .image, subject: subject) }
        switch (update.tag, update.digest) {
        case let (tag?, digest?):
            try edits.set(key: "newTag", of: entry, to: tag, kind: .image, subject: subject)
            try edits.set(key: "digest", of: entry, to: digest, kind: .image, subject: subject)
        case let (tag?, nil):
            try edits.set(key: "newTag", of: entry, to: tag, kind: .image, subject: subject)
            try edits.remove(key: "digest", of: entry, kind: .image, subject: subject)
        case let (nil, digest?):
            try edits.set(key: "digest", of: entry, to: digest, kind: .image, subject: subject)
            try edits.remove(key: "newTag", of: entry, kind: .image, subject: subject)
        case (nil, nil):
            break
        }
    }

    /// Helm values convention: `repository` (with optional `registry`), `tag`, `digest`.
    /// A new tag empties a stale digest, since charts prefer the digest when one is set.
    private func helmImageMap(_ map: Node, _ edits: inout FileEdits) throws(EditError) {
        guard let repository = map["repository"]?.resolved.string, !repository.contains("{{") else { return }
        let registry = map["registry"]?.resolved.string
        let full = registry.map { $0.isEmpty ? repository : $0 + "/" + repository } ?? repository
        guard let reference = ImageReference(full), update.matches(reference) else { return }
        let subject = update.image.normalizedName
        if let newName = update.newName, let renamed = ImageReference(newName) {
            let explicitDomain = newName.split(separator: "/").count > 1 && renamed.name.hasPrefix(renamed.domain)
            if map["registry"] != nil, explicitDomain {
                try edits.set(key: "registry", of: map, to: renamed.domain, kind: .image, subject: subject)
                try edits.set(key: "repository", of: map, to: String(newName.dropFirst(renamed.domain.count + 1)), kind: .image, subject: subject)
            } else {
                try edits.set(key: "repository", of: map, to: newName, kind: .image, subject: subject)
            }
        }
        // Only keys the map already has are set: a map without `tag` follows the chart's
        // appVersion on purpose, and a chart without `digest` support would ignore one.
        if let tag = update.tag {
            if let node = map["tag"] {
                try edits.set(node, to: tag, kind: .image, subject: subject)
            } else if update.digest == nil {
                edits.warn("\(full) has no tag key here (the chart's appVersion applies); left alone", at: map, subject: subject)
            }
        }
        if let digest = update.digest {
            if let node = map["digest"] {
                try edits.set(node, to: digest, kind: .image, subject: subject)
            } else {
                edits.warn("\(full) has no digest key here; the digest was not written", at: map, subject: subject)
            }
        } else if update.tag != nil, let old = map["digest"]?.resolved, old.string?.isEmpty == false, old.scalarType != .null {
            try edits.set(old, to: "", kind: .image, subject: subject)
        }
    }

    /// Argo CD `kustomize.images` (Application sources and Image Updater write-back files):
    /// strings in `kustomize edit set image` form, `name=newname:tag` or `name:tag`.
    private func kustomizeImageStrings(_ list: Node, _ edits: inout FileEdits) throws(EditError) {
        for item in list.items.map(\.resolved) {
            guard let text = item.string else { continue }
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                guard let old = ImageReference(parts[0]), let new = ImageReference(parts[1]),
                      update.matches(old) || update.matches(new) else { continue }
                try edits.set(item, to: parts[0] + "=" + update.rewrite(new), kind: .image, subject: update.image.normalizedName)
            } else if let reference = ImageReference(text), update.matches(reference) {
                let rewritten = update.rewrite(reference)
                let value = update.newName == nil ? rewritten : reference.name + "=" + rewritten
                try edits.set(item, to: value, kind: .image, subject: update.image.normalizedName)
            }
        }
    }

    /// Helm parameters (`- name: image.repository` / `value: ...` next to `image.tag`), as
    /// Argo CD Applications and Image Updater write-back files hold them.
    private func helmParameters(_ list: Node, _ edits: inout FileEdits) throws(EditError) {
        var byName: [String: Node] = [:]
        for item in list.items.map(\.resolved) {
            if let name = item["name"]?.resolved.string, let value = item["value"] { byName[name] = value }
        }
        for (name, value) in byName {
            guard let suffix = [".repository", ".name"].first(where: name.hasSuffix),
                  let text = value.resolved.string, let reference = ImageReference(text), update.matches(reference) else { continue }
            let prefix = String(name.dropLast(suffix.count))
            let subject = update.image.normalizedName
            if let newName = update.newName { try edits.set(value, to: newName, kind: .image, subject: subject) }
            if let tag = update.tag, let tagValue = byName[prefix + ".tag"] { try edits.set(tagValue, to: tag, kind: .image, subject: subject) }
            if let digest = update.digest, let digestValue = byName[prefix + ".digest"] {
                try edits.set(digestValue, to: digest, kind: .image, subject: subject)
            }
        }
    }

    // MARK: Flux setter markers

    private func markers(_ edits: inout FileEdits) throws(EditError) {
        let subject = update.image.normalizedName
        for (node, comment) in edits.file.scalarsWithLineComments() {
            guard let marker = ImageMarker(comment: comment.text) else { continue }
            let image = policies.image(forPolicy: marker.policy) ?? inferredImage(for: node, marker: marker)
            switch marker.field {
            case .full:
                guard let text = node.string, let reference = ImageReference(text), update.matches(reference) else { continue }
                try edits.set(node, to: update.rewrite(reference), kind: .image, subject: subject)
            case .tag:
                guard let image, image == subject else { continue }
                if let tag = update.tag {
                    try edits.set(node, to: tag, kind: .image, subject: subject)
                } else {
                    edits.warn("\(marker.policy):tag marker left alone: this update sets no tag", at: node, subject: subject)
                }
            case .name:
                guard let image, image == subject, let newName = update.newName else { continue }
                try edits.set(node, to: newName, kind: .image, subject: subject)
            case .digest:
                guard let image, image == subject, let digest = update.digest else { continue }
                try edits.set(node, to: digest, kind: .image, subject: subject)
            }
        }
    }

    /// When the tree holds no ImagePolicy for a marker, the image of a `:tag`, `:name` or
    /// `:digest` field is read from its mapping: a sibling `repository`, `newName`, `name`
    /// or `image`.
    private func inferredImage(for node: Node, marker: ImageMarker) -> String? {
        guard let mapping = node.parent, mapping.isMapping else { return nil }
        for key in ["newName", "repository", "name", "image"] {
            if let text = mapping[key]?.resolved.string, let reference = ImageReference(text) {
                let registry = key == "repository" ? mapping["registry"]?.resolved.string : nil
                if let registry, let full = ImageReference(registry + "/" + text) { return full.normalizedName }
                return reference.normalizedName
            }
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle`'s UTF-8 bytes occur in the array: memchr for the first byte (glibc
    /// vectorises it), memcmp for the rest; the hot path of every tree-wide edit.
    func containsSubsequence(_ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return true }
        return withUnsafeBufferPointer { haystack in
            pattern.withUnsafeBufferPointer { patternBytes in
                guard var cursor = haystack.baseAddress else { return false }
                let end = cursor + haystack.count
                while end - cursor >= patternBytes.count {
                    guard let hit = memchr(cursor, Int32(first), end - cursor - patternBytes.count + 1) else { return false }
                    let position = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(position, patternBytes.baseAddress!, patternBytes.count) == 0 { return true }
                    cursor = position + 1
                }
                return false
            }
        }
    }
}
