import Foundation

/// The libcurl under FoundationNetworking, for `capstan version`. Capstan does not link
/// libcurl itself (FoundationNetworking does), so the symbol is looked up in the running
/// process rather than imported.
public enum TransportVersion {
    public static var libcurl: String {
        // The program's own handle searches every library loaded with it, libcurl included.
        guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, "curl_version") else { return "not loaded" }
        typealias CurlVersion = @convention(c) () -> UnsafePointer<CChar>?
        let version = unsafeBitCast(symbol, to: CurlVersion.self)
        return version().map { String(cString: $0) } ?? "unknown"
    }
}
