import Foundation

/// The directory of the nearest kustomization above a file, if any: resources of
/// different kustomizations are never applied together, so they cannot collide.
/// Remembered per directory, since thousands of files share a few directories.
final class UnitCache: @unchecked Sendable {
    private let lock = NSLock()
    private var known: [String: String?] = [:]

    func kustomization(above path: String) -> String? {
        let directory = PathNormaliser.parent(of: path)
        if let cached = lock.withLock({ known[directory] }) { return cached }
        var current = directory
        var found: String?
        for _ in 0..<64 {
            if ["kustomization.yaml", "kustomization.yml", "Kustomization"].contains(where: {
                FileManager.default.fileExists(atPath: current.isEmpty ? $0 : "\(current)/\($0)")
            }) {
                found = current
                break
            }
            guard !current.isEmpty, current != "/", current != "." else { break }
            current = PathNormaliser.parent(of: current)
        }
        lock.withLock { known[directory] = .some(found) }
        return found
    }
}
