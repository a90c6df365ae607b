import CompressNIO
import NIOCore

/// One record as read from a RecordBatch v2.
struct DecodedRecord: Sendable, Hashable {
    var offset: Int64
    var timestamp: Int64
    var key: ByteBuffer?
    var value: ByteBuffer?
    var headers: [KafkaHeader]
}

/// RecordBatch v2 (magic 2) layout; see Kafka's `DefaultRecordBatch`.
enum RecordBatch {
    static let headerSize = 61
    static let crcOffset = 17
    static let attributesOffset = 21
    static let compressionMask: Int16 = 0x07
    static let logAppendTimeFlag: Int16 = 0x08
    static let transactionalFlag: Int16 = 0x10
    static let controlFlag: Int16 = 0x20

    /// Decodes every complete batch in a record set (a Fetch partition's `records`). A trailing
    /// partial batch (the broker cuts at `max_bytes`) is ignored, as Kafka clients do.
    ///
    /// - Returns: the records, and the offset after the last complete batch (nil if none).
    static func decodeRecordSet(_ buffer: ByteBuffer) throws(KafkaError) -> (records: [DecodedRecord], nextOffset: Int64?) {
        var buffer = buffer
        var records: [DecodedRecord] = []
        var nextOffset: Int64?
        while buffer.readableBytes >= 12 {
            let start = buffer.readerIndex
            guard let baseOffset = buffer.getInteger(at: start, as: Int64.self),
                  let batchLength = buffer.getInteger(at: start + 8, as: Int32.self) else { break }
            let total = 12 + Int(batchLength)
            guard batchLength >= 0, total <= buffer.readableBytes else { break }
            guard let magic = buffer.getInteger(at: start + 16, as: Int8.self) else { break }
            guard magic == 2 else {
                throw KafkaError(.corruptRecord, detail: "message format v\(magic) at offset \(baseOffset) is not supported")
            }
            let batch = buffer.readSlice(length: total)!
            let next = try decodeBatch(batch, into: &records)
            nextOffset = next
        }
        return (records, nextOffset)
    }

    /// Decodes one complete batch, appending its records; returns the offset after the batch.
    static func decodeBatch(_ batch: ByteBuffer, into records: inout [DecodedRecord]) throws(KafkaError) -> Int64 {
        var b = batch
        let baseOffset: Int64 = try b.readKafkaInt()
        _ = try b.readKafkaInt(Int32.self)  // batch length
        _ = try b.readKafkaInt(Int32.self)  // partition leader epoch
        _ = try b.readKafkaInt(Int8.self)  // magic
        let crc: UInt32 = try b.readKafkaInt()
        let computed = b.withUnsafeReadableBytes { CRC32C.update(0, $0) }
        guard computed == crc else {
            throw KafkaError(.corruptRecord, detail: "CRC32C mismatch at offset \(baseOffset)")
        }
        let attributes: Int16 = try b.readKafkaInt()
        let lastOffsetDelta: Int32 = try b.readKafkaInt()
        let baseTimestamp: Int64 = try b.readKafkaInt()
        let maxTimestamp: Int64 = try b.readKafkaInt()
        b.moveReaderIndex(forwardBy: 8 + 2 + 4)  // producer id, epoch, base sequence
        let count: Int32 = try b.readKafkaInt()
        let next = baseOffset + Int64(lastOffsetDelta) + 1
        if attributes & controlFlag != 0 { return next }  // transaction markers carry no user data

        var body: ByteBuffer
        switch attributes & compressionMask {
        case 0:
            body = b
        case 1:
            do {
                body = try b.decompress(with: .gzip(), maxSize: 256 << 20)
            } catch {
                throw KafkaError(.corruptRecord, detail: "gzip: \(error)")
            }
        case let other:
            throw KafkaError(
                .unsupportedCompression,
                detail: "batch at offset \(baseOffset) uses \(KafkaCompression(rawValue: other).map { "\($0)" } ?? "codec \(other)")"
            )
        }
        let logAppendTime = attributes & logAppendTimeFlag != 0
        records.reserveCapacity(records.count + Int(max(count, 0)))
        for _ in 0..<max(count, 0) {
            let length = Int(try body.readVarint())
            guard length >= 0, var r = body.readSlice(length: length) else { throw KafkaError.truncated }
            _ = try r.readKafkaInt(Int8.self)  // record attributes (unused)
            let timestampDelta = try r.readVarint()
            let offsetDelta = try r.readVarint()
            let key = try readVarBytes(&r)
            let value = try readVarBytes(&r)
            let headerCount = try r.readVarint()
            var headers: [KafkaHeader] = []
            if headerCount > 0 {
                headers.reserveCapacity(Int(headerCount))
                for _ in 0..<headerCount {
                    guard var keyBytes = try readVarBytes(&r) else {
                        throw KafkaError(.corruptRecord, detail: "null header key")
                    }
                    let headerKey = keyBytes.readString(length: keyBytes.readableBytes) ?? ""
                    headers.append(KafkaHeader(key: headerKey, value: try readVarBytes(&r)))
                }
            }
            records.append(DecodedRecord(
                offset: baseOffset + offsetDelta,
                timestamp: logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta,
                key: key, value: value, headers: headers
            ))
        }
        return next
    }

    private static func readVarBytes(_ b: inout ByteBuffer) throws(KafkaError) -> ByteBuffer? {
        let length = try b.readVarint()
        if length < 0 { return nil }
        guard let slice = b.readSlice(length: Int(length)) else { throw KafkaError.truncated }
        return slice
    }
}

/// Accumulates records into one RecordBatch v2, encoding each record as it is appended.
struct RecordBatchBuilder: Sendable {
    private(set) var count: Int = 0
    private(set) var baseTimestamp: Int64 = 0
    private(set) var maxTimestamp: Int64 = 0
    private var records: ByteBuffer

    init(capacity: Int = 1024) {
        records = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Encoded size of the batch so far (uncompressed).
    var sizeInBytes: Int { RecordBatch.headerSize + records.readableBytes }

    /// Upper bound of what one record adds to a batch.
    static func estimatedSize(key: ByteBuffer?, value: ByteBuffer?, headers: [KafkaHeader]) -> Int {
        var n = 5 + 1 + 10 + 5 + 5 + (key?.readableBytes ?? 0) + 5 + (value?.readableBytes ?? 0) + 5
        for h in headers { n += 10 + h.key.utf8.count + (h.value?.readableBytes ?? 0) }
        return n
    }

    mutating func append(key: ByteBuffer?, value: ByteBuffer?, headers: [KafkaHeader], timestamp: Int64) {
        if count == 0 {
            baseTimestamp = timestamp
            maxTimestamp = timestamp
        }
        maxTimestamp = max(maxTimestamp, timestamp)
        let timestampDelta = timestamp - baseTimestamp
        let offsetDelta = Int64(count)
        var bodySize = 1 + varintSize(timestampDelta) + varintSize(offsetDelta)
        bodySize += bytesSize(key) + bytesSize(value) + varintSize(Int64(headers.count))
        for h in headers { bodySize += varintSize(Int64(h.key.utf8.count)) + h.key.utf8.count + bytesSize(h.value) }

        records.writeVarint(Int64(bodySize))
        records.writeInteger(Int8(0))
        records.writeVarint(timestampDelta)
        records.writeVarint(offsetDelta)
        writeBytes(key)
        writeBytes(value)
        records.writeVarint(Int64(headers.count))
        for h in headers {
            records.writeVarint(Int64(h.key.utf8.count))
            records.writeString(h.key)
            writeBytes(h.value)
        }
        count += 1
    }

    /// The finished batch (base offset 0; the broker assigns offsets).
    func build(compression: KafkaCompression = .none) throws(KafkaError) -> ByteBuffer {
        var body = records
        if compression == .gzip {
            do {
                body = try body.compress(with: .gzip())
            } catch {
                throw KafkaError(.invalidArgument, detail: "gzip: \(error)")
            }
        } else if compression != .none {
            throw KafkaError(.unsupportedCompression, detail: "cannot write \(compression)")
        }
        var out = ByteBufferAllocator().buffer(capacity: RecordBatch.headerSize + body.readableBytes)
        out.writeInteger(Int64(0))  // base offset
        out.writeInteger(Int32(RecordBatch.headerSize - 12 + body.readableBytes))
        out.writeInteger(Int32(-1))  // partition leader epoch
        out.writeInteger(Int8(2))  // magic
        out.writeInteger(UInt32(0))  // crc, patched below
        out.writeInteger(compression.rawValue)  // attributes: create time, not transactional
        out.writeInteger(Int32(max(count - 1, 0)))  // last offset delta
        out.writeInteger(baseTimestamp)
        out.writeInteger(maxTimestamp)
        out.writeInteger(Int64(-1))  // producer id
        out.writeInteger(Int16(-1))  // producer epoch
        out.writeInteger(Int32(-1))  // base sequence
        out.writeInteger(Int32(count))
        out.writeBuffer(&body)
        let crc = out.withUnsafeReadableBytes {
            CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[RecordBatch.attributesOffset...]))
        }
        out.setInteger(crc, at: RecordBatch.crcOffset)
        return out
    }

    private mutating func writeBytes(_ bytes: ByteBuffer?) {
        guard let bytes else { records.writeVarint(-1); return }
        records.writeVarint(Int64(bytes.readableBytes))
        records.writeImmutableBuffer(bytes)
    }

    private func bytesSize(_ bytes: ByteBuffer?) -> Int {
        guard let bytes else { return 1 }
        return varintSize(Int64(bytes.readableBytes)) + bytes.readableBytes
    }
}

func varintSize(_ value: Int64) -> Int {
    var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
    var n = 1
    while v >= 0x80 { v >>= 7; n += 1 }
    return n
}
