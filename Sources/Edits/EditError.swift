import YAML

/// Why an edit could not be planned or written. Every case names the file (and position
/// where there is one); when one is thrown, nothing has been written.
public enum EditError: Error, Sendable, Equatable, CustomStringConvertible {
    case yaml(YAMLError)
    case invalidImage(String, reason: String)
    case invalidChartVersion(String, reason: String)
    case invalidAssignment(String, reason: String)
    case invalidValuePath(String, reason: String)
    case pathOutsideTree(String, reason: String)
    case notFound(String)
    case io(String, reason: String)
    case ambiguous(file: String, path: String, documents: [Int])
    case cannotSet(at: SourceLocation, reason: String)
    /// Images or charts asked for that no searched file references: a typo, or the wrong
    /// paths, would otherwise pass as "nothing to change".
    case noReference(images: [String], charts: [String], paths: [String], filesSearched: Int)

    public var description: String {
        switch self {
        case let .yaml(error): error.description + "; nothing was written: fix the file there and run again"
        case let .invalidImage(text, reason): "invalid image \"\(text)\": \(reason)"
        case let .invalidChartVersion(text, reason): "invalid chart version \"\(text)\": \(reason)"
        case let .invalidAssignment(text, reason): "invalid assignment \"\(text)\": \(reason)"
        case let .invalidValuePath(text, reason): "invalid key path \"\(text)\": \(reason)"
        case let .pathOutsideTree(path, reason): "\(path): \(reason)"
        case let .notFound(path): "\(path): no such file or directory"
        case let .io(path, reason): "\(path): \(reason)"
        case let .ambiguous(file, path, documents):
            "\(file): \(path) exists in documents \(documents.map(String.init).joined(separator: ", ")); pick one with --document"
        case let .cannotSet(at, reason): "\(at): \(reason); nothing was written"
        case let .noReference(images, charts, paths, searched):
            "no file under \(paths.joined(separator: ", ")) references "
                + (images.map { "image \($0)" } + charts.map { "chart \($0)" }).joined(separator: ", ")
                + " (\(searched) files searched); nothing was written. Check the "
                + (images.isEmpty ? "chart's name" : "name (every spelling of an image matches: nginx is docker.io/library/nginx)")
                + " and the paths searched (--path, .capstan.yaml images)"
        }
    }
}
