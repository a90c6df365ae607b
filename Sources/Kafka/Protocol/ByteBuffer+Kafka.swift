import NIOCore

/// Primitive encodings of the Kafka protocol (big-endian integers, int16-length strings,
/// int32-length bytes and arrays, zig-zag varints for records).
extension ByteBuffer {
    // MARK: Writing

    mutating func writeKafkaString(_ s: String) {
        writeInteger(Int16(s.utf8.count))
        writeString(s)
    }

    mutating func writeKafkaNullableString(_ s: String?) {
        guard let s else { writeInteger(Int16(-1)); return }
        writeKafkaString(s)
    }

    mutating func writeKafkaBytes(_ bytes: ByteBuffer?) {
        guard var bytes else { writeInteger(Int32(-1)); return }
        writeInteger(Int32(bytes.readableBytes))
        writeBuffer(&bytes)
    }

    mutating func writeKafkaBool(_ b: Bool) { writeInteger(UInt8(b ? 1 : 0)) }

    mutating func writeKafkaArray<C: Collection>(_ items: C, _ body: (inout ByteBuffer, C.Element) -> Void) {
        writeInteger(Int32(items.count))
        for item in items { body(&self, item) }
    }

    mutating func writeKafkaNullableArray<C: Collection>(_ items: C?, _ body: (inout ByteBuffer, C.Element) -> Void) {
        guard let items else { writeInteger(Int32(-1)); return }
        writeKafkaArray(items, body)
    }

    mutating func writeUnsignedVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        writeInteger(UInt8(v))
    }

    /// Zig-zag varint (Kafka's `varint`/`varlong` in records).
    mutating func writeVarint(_ value: Int64) {
        writeUnsignedVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    // MARK: Reading

    mutating func readKafkaInt<T: FixedWidthInteger>(_: T.Type = T.self) throws(KafkaError) -> T {
        guard let v = readInteger(as: T.self) else { throw KafkaError.truncated }
        return v
    }

    mutating func readKafkaBool() throws(KafkaError) -> Bool {
        try readKafkaInt(UInt8.self) != 0
    }

    mutating func readKafkaNullableString() throws(KafkaError) -> String? {
        let length = try readKafkaInt(Int16.self)
        if length < 0 { return nil }
        guard let s = readString(length: Int(length)) else { throw KafkaError.truncated }
        return s
    }

    mutating func readKafkaString() throws(KafkaError) -> String {
        guard let s = try readKafkaNullableString() else {
            throw KafkaError(.malformedResponse, detail: "null where a string is required")
        }
        return s
    }

    mutating func readKafkaBytes() throws(KafkaError) -> ByteBuffer? {
        let length = try readKafkaInt(Int32.self)
        if length < 0 { return nil }
        guard let b = readSlice(length: Int(length)) else { throw KafkaError.truncated }
        return b
    }

    mutating func readKafkaArray<T>(_ body: (inout ByteBuffer) throws(KafkaError) -> T) throws(KafkaError) -> [T] {
        try readKafkaNullableArray(body) ?? []
    }

    mutating func readKafkaNullableArray<T>(_ body: (inout ByteBuffer) throws(KafkaError) -> T) throws(KafkaError) -> [T]? {
        let count = try readKafkaInt(Int32.self)
        if count < 0 { return nil }
        // Every element takes at least one byte: refuse counts the buffer cannot hold.
        guard Int(count) <= readableBytes else { throw KafkaError.truncated }
        var result: [T] = []
        result.reserveCapacity(Int(count))
        for _ in 0..<count { result.append(try body(&self)) }
        return result
    }

    mutating func readUnsignedVarint() throws(KafkaError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard let byte = readInteger(as: UInt8.self) else { throw KafkaError.truncated }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw KafkaError(.malformedResponse, detail: "varint too long") }
        }
    }

    mutating func readVarint() throws(KafkaError) -> Int64 {
        let raw = try readUnsignedVarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }
}

extension KafkaError {
    static let truncated = KafkaError(.malformedResponse, detail: "truncated data")
}
