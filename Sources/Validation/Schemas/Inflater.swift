internal import CZlib

/// Inflates zlib data in one call. zlib's stream lives only inside `inflate(_:expectedSize:)`,
/// so there is no handle to own beyond that scope; `inflateEnd` runs on every path.
public enum Inflater {
    /// The zlib the binary runs with, for `capstan version`.
    public static var zlibVersion: String { String(cString: CZlib.zlibVersion()) }

    internal static func inflate(_ input: UnsafeBufferPointer<UInt8>, expectedSize: Int) throws(SchemaError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expectedSize)
        var stream = z_stream()
        let initialised = inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initialised == Z_OK else { throw .damagedBundle(reason: "inflateInit failed (\(initialised))") }
        defer { inflateEnd(&stream) }
        let status: Int32 = output.withUnsafeMutableBufferPointer { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            stream.next_out = out.baseAddress
            stream.avail_out = uInt(out.count)
            return CZlib.inflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expectedSize else {
            let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
            throw .damagedBundle(reason: message)
        }
        return output
    }
}
