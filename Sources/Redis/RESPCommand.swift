public import NIOCore

/// One argument of a Redis command: bytes on the wire, built from text, numbers or bytes.
public struct RESPArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// Arguments are equal when they put the same bytes on the wire (`"2"` equals `2`).
    public static func == (lhs: RESPArgument, rhs: RESPArgument) -> Bool {
        lhs.encoded == rhs.encoded
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.encoded)
    }

    private var encoded: ByteBuffer {
        var buffer = ByteBuffer()
        self.write(to: &buffer)
        return buffer
    }

    @usableFromInline
    enum Storage: Sendable, Hashable {
        case string(String)
        case bytes(ByteBuffer)
        case integer(Int64)
    }

    @usableFromInline
    let storage: Storage

    public init(_ string: String) { self.storage = .string(string) }
    public init(_ bytes: ByteBuffer) { self.storage = .bytes(bytes) }
    public init(bytes: some Sequence<UInt8>) { self.storage = .bytes(ByteBuffer(bytes: bytes)) }
    public init<I: BinaryInteger>(_ integer: I) { self.storage = .integer(Int64(integer)) }
    /// Encodes a double the way Redis parses scores (`inf`, `-inf` included).
    public init(_ double: Double) {
        if double == .infinity {
            self.storage = .string("+inf")
        } else if double == -.infinity {
            self.storage = .string("-inf")
        } else {
            self.storage = .string(String(double))
        }
    }

    public init(stringLiteral value: String) { self.storage = .string(value) }
    public init(integerLiteral value: Int) { self.storage = .integer(Int64(value)) }

    @inlinable
    func write(to buffer: inout ByteBuffer) {
        switch self.storage {
        case .string(let string):
            buffer.writeStaticString("$")
            buffer.writeDecimal(string.utf8.count)
            buffer.writeStaticString("\r\n")
            buffer.writeString(string)
        case .bytes(let bytes):
            buffer.writeStaticString("$")
            buffer.writeDecimal(bytes.readableBytes)
            buffer.writeStaticString("\r\n")
            buffer.writeImmutableBuffer(bytes)
        case .integer(let integer):
            let text = String(integer)
            buffer.writeStaticString("$")
            buffer.writeDecimal(text.utf8.count)
            buffer.writeStaticString("\r\n")
            buffer.writeString(text)
        }
        buffer.writeStaticString("\r\n")
    }
}

/// A command ready to send: its name and arguments, encoded as a RESP array of bulk strings.
public struct RESPCommand: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var arguments: [RESPArgument]

    public init(_ name: String, _ arguments: [RESPArgument] = []) {
        self.name = name
        self.arguments = arguments
    }

    public init(_ name: String, _ arguments: RESPArgument...) {
        self.init(name, arguments)
    }

    @inlinable
    public func write(to buffer: inout ByteBuffer) {
        buffer.writeStaticString("*")
        buffer.writeDecimal(self.arguments.count + 1)
        buffer.writeStaticString("\r\n")
        RESPArgument(self.name).write(to: &buffer)
        for argument in self.arguments {
            argument.write(to: &buffer)
        }
    }

    /// The command name only: arguments may hold secrets (AUTH) or user data.
    public var description: String { self.name }
}

extension ByteBuffer {
    @inlinable
    mutating func writeDecimal(_ value: Int) {
        if value >= 0 && value < 10 {
            self.writeInteger(UInt8(ascii: "0") + UInt8(value))
        } else {
            self.writeString(String(value))
        }
    }
}
