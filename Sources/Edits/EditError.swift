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

    public var description: String {
        switch self {
        case let .yaml(error): error.description
        case let .invalidImage(text, reason): "invalid image \"\(text)\": \(reason)"
        case let .invalidChartVersion(text, reason): "invalid chart version \"\(text)\": \(reason)"
        case let .invalidAssignment(text, reason): "invalid assignment \"\(text)\": \(reason)"
        case let .invalidValuePath(text, reason): "invalid key path \"\(text)\": \(reason)"
        case let .pathOutsideTree(path, reason): "\(path): \(reason)"
        case let .notFound(path): "\(path): no such file or directory"
        case let .io(path, reason): "\(path): \(reason)"
        case let .ambiguous(file, path, documents):
            "\(file): \(path) exists in documents \(documents.map(String.init).joined(separator: ", ")); pick one with --document"
        case let .cannotSet(at, reason): "\(at): \(reason)"
        }
    }
}
