/// A streaming reader of `multipart/form-data` bodies (RFC 7578 over RFC 2046's multipart
/// syntax): fed the body in pieces of any size, it reports each part's headers, its content in
/// slices, and its end, holding no more than one part's headers or a delimiter's length of
/// content. Every malformation is a thrown ``Malformed``, never a trap: this reads what any
/// client sends. (Written here because `vapor/multipart-kit` 4.7.1's parser traps on a header
/// byte above 0x7F — a request could end the process; docs/field-notes.md.)
struct MultipartStream {
    enum Event {
        /// A part begins, with its headers (names as sent, values decoded as UTF-8).
        case part([(name: String, value: String)])
        /// More of the current part's content.
        case content(ArraySlice<UInt8>)
        /// The current part ended.
        case partEnd
        /// The closing delimiter: nothing after it is read.
        case end
    }

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    private enum State {
        case preamble, afterDelimiter, headers, content, epilogue
    }

    /// One part's header block at most; real ones are a few hundred bytes.
    static let maximumHeaderBytes = 8 * 1024
    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A

    private let delimiter: [UInt8]
    /// Starts with CRLF, so that a delimiter at the very start of the body matches like any other.
    private var buffer: [UInt8] = [cr, lf]
    private var state = State.preamble

    /// `boundary` as a content type's parameter gives it (1 to 70 characters).
    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// Whether the closing delimiter has been read.
    var isComplete: Bool {
        if case .epilogue = state { return true }
        return false
    }

    mutating func feed(_ bytes: some Sequence<UInt8>, _ handle: (Event) throws -> Void) throws {
        buffer.append(contentsOf: bytes)
        var start = 0
        reading: while true {
            switch state {
            case .preamble:
                guard let found = Self.find(delimiter, in: buffer, from: start) else {
                    start = max(start, buffer.count - (delimiter.count - 1))
                    break reading
                }
                start = found + delimiter.count
                state = .afterDelimiter
            case .afterDelimiter:
                // "--" closes the body; otherwise optional spaces or tabs, then CRLF.
                var index = start
                while index < buffer.count, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
                guard index + 1 < buffer.count else {
                    guard index - start <= 64 else { throw Malformed(description: "spaces run on after a delimiter") }
                    break reading
                }
                if index == start, buffer[index] == 0x2D, buffer[index + 1] == 0x2D {
                    state = .epilogue
                    try handle(.end)
                    start = buffer.count
                    break reading
                }
                guard buffer[index] == Self.cr, buffer[index + 1] == Self.lf else { throw Malformed(description: "a delimiter is not followed by a line end") }
                start = index + 2
                state = .headers
            case .headers:
                let headers: [(name: String, value: String)]
                if buffer.count - start >= 2, buffer[start] == Self.cr, buffer[start + 1] == Self.lf {
                    headers = []
                    start += 2
                } else if let end = Self.find([Self.cr, Self.lf, Self.cr, Self.lf], in: buffer, from: start) {
                    guard end - start <= Self.maximumHeaderBytes else { throw Malformed(description: "a part's headers are too long") }
                    headers = try Self.headers(buffer[start..<end])
                    start = end + 4
                } else {
                    guard buffer.count - start <= Self.maximumHeaderBytes else { throw Malformed(description: "a part's headers are too long") }
                    break reading
                }
                try handle(.part(headers))
                state = .content
            case .content:
                if let found = Self.find(delimiter, in: buffer, from: start) {
                    if found > start { try handle(.content(buffer[start..<found])) }
                    try handle(.partEnd)
                    start = found + delimiter.count
                    state = .afterDelimiter
                } else {
                    // The end may hold the beginning of a delimiter: kept for the next piece.
                    let safe = buffer.count - (delimiter.count - 1)
                    if safe > start {
                        try handle(.content(buffer[start..<safe]))
                        start = safe
                    }
                    break reading
                }
            case .epilogue:
                start = buffer.count
                break reading
            }
        }
        buffer.removeFirst(start)
    }

    /// "Name: value" lines; a name is an RFC 9110 token.
    static func headers(_ block: ArraySlice<UInt8>) throws -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        var lineStart = block.startIndex
        while lineStart < block.endIndex {
            let lineEnd = find([cr, lf], in: block, from: lineStart) ?? block.endIndex
            let line = block[lineStart..<lineEnd]
            guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
                  line[line.startIndex..<colon].allSatisfy(isTokenByte)
            else { throw Malformed(description: "a part has a header that is not 'name: value'") }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
            headers.append((name, value))
            guard headers.count <= 32 else { throw Malformed(description: "a part has too many headers") }
            lineStart = lineEnd == block.endIndex ? lineEnd : lineEnd + 2
        }
        return headers
    }

    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"),
             UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"),
             UInt8(ascii: "~"): true
        default: false
        }
    }

    /// The index where `needle` first occurs in `haystack` at or after `from`.
    static func find<Haystack: RandomAccessCollection<UInt8>>(_ needle: [UInt8], in haystack: Haystack, from: Int) -> Int? where Haystack.Index == Int {
        guard let first = needle.first, haystack.endIndex - from >= needle.count else { return nil }
        var index = from
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = 1
                while matched < needle.count, haystack[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
