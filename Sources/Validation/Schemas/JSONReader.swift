/// A small strict JSON reader for schema files. Foundation's reader loses the difference
/// between `true` and `1`, which schemas need (`additionalProperties: false`, enums).
struct JSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    /// Parses one JSON document; `source` names it in errors.
    static func parse(_ data: some Collection<UInt8>, source: String) throws(SchemaError) -> JSONValue {
        let result: Result<JSONValue, SchemaError>? = data.withContiguousStorageIfAvailable { buffer in
            var reader = JSONReader(bytes: buffer)
            do throws(SchemaError) {
                reader.skipSpace()
                let value = try reader.value(source)
                reader.skipSpace()
                guard reader.index == buffer.count else { throw reader.failure("unexpected text after the JSON value", source) }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        if let result { return try result.get() }
        return try parse(Array(data), source: source)
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private func failure(_ message: String, _ source: String) -> SchemaError {
        var line = 1
        var column = 1
        for offset in 0..<min(index, bytes.count) {
            if bytes[offset] == 0x0A { line += 1; column = 1 } else if bytes[offset] & 0xC0 != 0x80 { column += 1 }
        }
        return .unreadable(source: source, reason: "\(line):\(column): \(message)")
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private mutating func value(_ source: String) throws(SchemaError) -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of JSON", source) }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            depth += 1
            guard depth < 512 else { throw failure("nested too deeply", source) }
            defer { depth -= 1 }
            index += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a string key", source) }
                let key = try string(source)
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'", source) }
                index += 1
                skipSpace()
                members[key] = try value(source)
                skipSpace()
                guard index < bytes.count else { throw failure("unexpected end of JSON", source) }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw failure("expected ',' or '}'", source)
            }
        case UInt8(ascii: "["):
            depth += 1
            guard depth < 512 else { throw failure("nested too deeply", source) }
            defer { depth -= 1 }
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(source))
                skipSpace()
                guard index < bytes.count else { throw failure("unexpected end of JSON", source) }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw failure("expected ',' or ']'", source)
            }
        case UInt8(ascii: "\""):
            return .string(try string(source))
        case UInt8(ascii: "t"):
            try literal("true", source)
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false", source)
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null", source)
            return .null
        default:
            return .number(try number(source))
        }
    }

    private mutating func literal(_ word: StaticString, _ source: String) throws(SchemaError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("unexpected end of JSON", source) }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw failure("unexpected character", source)
        }
        index += count
    }

    private mutating func number(_ source: String) throws(SchemaError) -> Double {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            guard (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") else { break }
            index += 1
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard !text.isEmpty, let number = Double(text) else {
            index = start
            throw failure("unexpected character", source)
        }
        return number
    }

    private mutating func string(_ source: String) throws(SchemaError) -> String {
        index += 1
        var scalars: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            }
            if byte != UInt8(ascii: "\\") {
                scalars.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "u"):
                var code = try hex4(source)
                if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                   bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    let low = try hex4(source)
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: scalars.append(escape)
            }
        }
        throw failure("unterminated string", source)
    }

    private mutating func hex4(_ source: String) throws(SchemaError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("bad \\u escape", source) }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw failure("bad \\u escape", source)
            }
            code = code << 4 | digit
            index += 1
        }
        return code
    }
}
