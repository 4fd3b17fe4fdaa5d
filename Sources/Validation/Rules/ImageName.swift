/// An image reference checked against the distribution reference grammar:
/// `[host[:port]/]path[:tag][@algorithm:hex]`.
struct ImageName {
    let name: String
    let tag: String?
    let digest: String?

    enum Problem: Error, CustomStringConvertible {
        case reason(String)
        var description: String { if case let .reason(text) = self { return text }; return "" }
    }

    static func parse(_ text: String) -> Result<ImageName, Problem> {
        guard !text.isEmpty else { return .failure(.reason("is empty")) }
        guard !text.contains(where: { $0.isWhitespace }) else { return .failure(.reason("contains whitespace")) }
        var rest = Substring(text)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            let value = rest[rest.index(after: at)...]
            let parts = value.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter || $0.isNumber || "+.-_".contains($0) }),
                  parts[1].count >= 32, parts[1].allSatisfy(\.isHexDigit), parts[1] == parts[1].lowercased() else {
                return .failure(.reason("has a malformed digest (want sha256:<64 hex>)"))
            }
            if parts[0] == "sha256", parts[1].count != 64 { return .failure(.reason("has a sha256 digest that is not 64 hex digits")) }
            digest = String(value)
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            let value = rest[rest.index(after: colon)...]
            guard (1...128).contains(value.count), let first = value.first, first.isLetter || first.isNumber || first == "_",
                  value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }) else {
                return .failure(.reason("has a malformed tag \"\(value)\""))
            }
            tag = String(value)
            rest = rest[..<colon]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.isEmpty, !components.contains(where: \.isEmpty) else { return .failure(.reason("has an empty path component")) }
        if components.count > 1, components[0].contains(".") || components[0].contains(":") || components[0] == "localhost" {
            let host = components.removeFirst()
            guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) }) else {
                return .failure(.reason("has a malformed registry host \"\(host)\""))
            }
        }
        for component in components {
            guard component.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }),
                  let first = component.first, let last = component.last, first.isLetter || first.isNumber,
                  last.isLetter || last.isNumber else {
                return .failure(.reason("has an invalid repository name component \"\(component)\" (lowercase letters, digits, . _ -)"))
            }
        }
        return .success(ImageName(name: String(rest), tag: tag, digest: digest))
    }
}
