import HTTP

/// The libcurl Capstan's HTTP transport links, for `capstan version`.
public enum TransportVersion {
    public static var libcurl: String { HTTPTransport.libcurlVersion }
}
