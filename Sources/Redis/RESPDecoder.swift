public import NIOCore

/// An incremental RESP2/RESP3 decoder: feed it bytes as they arrive; it yields one complete value
/// at a time and consumes nothing while a value is incomplete.
///
/// Pure: no I/O, no allocation beyond the decoded values (bulk strings are slices of the input).
/// An incomplete value is re-parsed from its start when more bytes arrive; replies are small and
/// usually arrive whole, so this is cheaper than keeping a resumable parse stack.
public struct RESPDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    public typealias InboundOut = RESPValue

    /// Limits that protect the process from a hostile or broken peer.
    public var maximumBulkLength: Int
    public var maximumAggregateCount: Int
    public var maximumDepth: Int

    public init(maximumBulkLength: Int = 512 * 1024 * 1024, maximumAggregateCount: Int = 1 << 24, maximumDepth: Int = 64) {
        self.maximumBulkLength = maximumBulkLength
        self.maximumAggregateCount = maximumAggregateCount
        self.maximumDepth = maximumDepth
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> RESPValue? {
        var copy = buffer
        guard let value = try self.parseValue(&copy, depth: 0) else { return nil }
        buffer = copy
        return value
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPValue? {
        try self.decode(buffer: &buffer)
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    /// Reads one `\r\n`-terminated line (without the terminator), or `nil` when incomplete.
    private func readLine(_ buffer: inout ByteBuffer) throws -> ByteBuffer? {
        let view = buffer.readableBytesView
        guard let crIndex = view.firstIndex(of: Self.cr) else {
            if view.count > 64 * 1024 { throw RedisError.protocolViolation("line longer than 64 KiB") }
            return nil
        }
        guard crIndex + 1 < view.endIndex else { return nil }
        guard view[crIndex + 1] == Self.lf else { throw RedisError.protocolViolation("CR not followed by LF") }
        let length = crIndex - view.startIndex
        let line = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }

    private func parseInteger(_ line: ByteBuffer) throws -> Int64 {
        var value: Int64 = 0
        var negative = false
        var sawDigit = false
        for (offset, byte) in line.readableBytesView.enumerated() {
            if offset == 0 && (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")) {
                negative = byte == UInt8(ascii: "-")
                continue
            }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else {
                throw RedisError.protocolViolation("invalid integer")
            }
            sawDigit = true
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1 && !overflow2 else { throw RedisError.protocolViolation("integer overflow") }
            value = added
        }
        guard sawDigit else { throw RedisError.protocolViolation("invalid integer") }
        return negative ? -value : value
    }

    private func readLength(_ buffer: inout ByteBuffer, limit: Int) throws -> Int?? {
        guard let line = try self.readLine(&buffer) else { return .none }
        let length = try self.parseInteger(line)
        if length == -1 { return .some(.none) }
        guard length >= 0, length <= limit else { throw RedisError.protocolViolation("invalid length \(length)") }
        return .some(Int(length))
    }

    /// Reads `length` bytes followed by `\r\n`, or `nil` when incomplete.
    private func readBlob(_ buffer: inout ByteBuffer, length: Int) throws -> ByteBuffer? {
        guard buffer.readableBytes >= length + 2 else { return nil }
        let blob = buffer.readSlice(length: length)!
        guard buffer.readInteger(as: UInt8.self) == Self.cr, buffer.readInteger(as: UInt8.self) == Self.lf else {
            throw RedisError.protocolViolation("blob not terminated by CRLF")
        }
        return blob
    }

    private func parseElements(_ buffer: inout ByteBuffer, count: Int, depth: Int) throws -> [RESPValue]? {
        var values: [RESPValue] = []
        values.reserveCapacity(Swift.min(count, 1024))
        for _ in 0..<count {
            guard let value = try self.parseValue(&buffer, depth: depth + 1) else { return nil }
            values.append(value)
        }
        return values
    }

    private func parseValue(_ buffer: inout ByteBuffer, depth: Int) throws -> RESPValue? {
        guard depth <= self.maximumDepth else { throw RedisError.protocolViolation("nesting deeper than \(self.maximumDepth)") }
        guard let marker = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        var rest = buffer
        rest.moveReaderIndex(forwardBy: 1)
        let value: RESPValue?
        switch marker {
        case UInt8(ascii: "+"):
            value = try self.readLine(&rest).map { .simpleString($0) }
        case UInt8(ascii: "-"):
            value = try self.readLine(&rest).map { .simpleError($0) }
        case UInt8(ascii: ":"):
            value = try self.readLine(&rest).map { .integer(try self.parseInteger($0)) }
        case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
            guard let announced = try self.readLength(&rest, limit: self.maximumBulkLength) else { return nil }
            guard let length = announced else {
                value = .null
                break
            }
            guard let blob = try self.readBlob(&rest, length: length) else { return nil }
            if marker == UInt8(ascii: "$") {
                value = .bulkString(blob)
            } else if marker == UInt8(ascii: "!") {
                value = .bulkError(blob)
            } else {
                guard length >= 4, blob.getInteger(at: blob.readerIndex + 3, as: UInt8.self) == UInt8(ascii: ":") else {
                    throw RedisError.protocolViolation("verbatim string without format")
                }
                var text = blob
                let format = text.readString(length: 3)!
                text.moveReaderIndex(forwardBy: 1)
                value = .verbatimString(format: format, text)
            }
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"):
            guard let announced = try self.readLength(&rest, limit: self.maximumAggregateCount) else { return nil }
            guard let count = announced else {
                value = .null
                break
            }
            guard let elements = try self.parseElements(&rest, count: count, depth: depth) else { return nil }
            switch marker {
            case UInt8(ascii: "*"): value = .array(elements)
            case UInt8(ascii: "~"): value = .set(elements)
            default: value = .push(elements)
            }
        case UInt8(ascii: "%"), UInt8(ascii: "|"):
            guard let announced = try self.readLength(&rest, limit: self.maximumAggregateCount / 2) else { return nil }
            guard let count = announced else { throw RedisError.protocolViolation("null map") }
            guard let elements = try self.parseElements(&rest, count: count * 2, depth: depth) else { return nil }
            if marker == UInt8(ascii: "|") {
                // An attribute describes the value that follows it; the client has no use for it.
                guard let next = try self.parseValue(&rest, depth: depth) else { return nil }
                value = next
            } else {
                var map: [RESPValue: RESPValue] = [:]
                map.reserveCapacity(count)
                var index = 0
                while index < elements.count {
                    map[elements[index]] = elements[index + 1]
                    index += 2
                }
                value = .map(map)
            }
        case UInt8(ascii: "_"):
            guard let line = try self.readLine(&rest) else { return nil }
            guard line.readableBytes == 0 else { throw RedisError.protocolViolation("null with payload") }
            value = .null
        case UInt8(ascii: "#"):
            guard let line = try self.readLine(&rest) else { return nil }
            switch line.getInteger(at: line.readerIndex, as: UInt8.self) {
            case UInt8(ascii: "t") where line.readableBytes == 1: value = .boolean(true)
            case UInt8(ascii: "f") where line.readableBytes == 1: value = .boolean(false)
            default: throw RedisError.protocolViolation("invalid boolean")
            }
        case UInt8(ascii: ","):
            guard let line = try self.readLine(&rest) else { return nil }
            let text = String(buffer: line)
            switch text {
            case "inf", "+inf": value = .double(.infinity)
            case "-inf": value = .double(-.infinity)
            case "nan", "-nan": value = .double(.nan)
            default:
                guard let double = Double(text) else { throw RedisError.protocolViolation("invalid double") }
                value = .double(double)
            }
        case UInt8(ascii: "("):
            guard let line = try self.readLine(&rest) else { return nil }
            let text = String(buffer: line)
            guard !text.isEmpty, text.drop(while: { $0 == "-" || $0 == "+" }).allSatisfy(\.isNumber) else {
                throw RedisError.protocolViolation("invalid big number")
            }
            value = .bigNumber(text)
        default:
            throw RedisError.protocolViolation("unknown type marker \(marker)")
        }
        if value != nil { buffer = rest }
        return value
    }
}
