internal import CYAML

/// The one owner of a libyaml parser. The input buffer must outlive it; `TreeBuilder`
/// keeps both inside one `withUnsafeBufferPointer` scope.
final class EventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let event: UnsafeMutablePointer<yaml_event_t>
    private var holdsEvent = false

    init(input: UnsafeBufferPointer<UInt8>) {
        parser = .allocate(capacity: 1)
        event = .allocate(capacity: 1)
        yaml_parser_initialize(parser)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input.baseAddress ?? UnsafePointer(bitPattern: 1), input.count)
    }

    deinit {
        if holdsEvent { yaml_event_delete(event) }
        yaml_parser_delete(parser)
        parser.deallocate()
        event.deallocate()
    }

    /// The next event, valid until the following call; nil with `problem` set on error.
    func next() -> UnsafePointer<yaml_event_t>? {
        if holdsEvent {
            yaml_event_delete(event)
            holdsEvent = false
        }
        guard yaml_parser_parse(parser, event) == 1 else { return nil }
        holdsEvent = true
        return UnsafePointer(event)
    }

    /// Where the last failure is: reader errors (bad encoding) know a byte offset into
    /// the input, scanner and parser errors a character index.
    enum ProblemPosition {
        case byte(Int)
        case character(Int)
    }

    /// libyaml's description of the last failure, its position and context.
    var problem: (message: String, position: ProblemPosition, context: String?) {
        let message = parser.pointee.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.pointee.context.map { String(cString: $0) }
        if parser.pointee.error == YAML_READER_ERROR {
            return (message, .byte(Int(parser.pointee.problem_offset)), context)
        }
        return (message, .character(Int(parser.pointee.problem_mark.index)), context)
    }
}
