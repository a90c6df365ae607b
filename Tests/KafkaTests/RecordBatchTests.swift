import NIOCore
import Testing

@testable import Kafka

@Suite struct RecordBatchTests {
    /// Built by kafka-python's `DefaultRecordBatchBuilder` (magic 2, no compression) from the
    /// same two records, with the partition leader epoch set to -1 as the Java producer writes it
    /// (the CRC does not cover that field).
    static let referenceBatch = "0000000000000000" + "0000004c" + "ffffffff" + "02" + "20409f0d" + "0000" + "00000001"
        + "0000018bcfe56800" + "0000018bcfe56805" + "ffffffffffffffff" + "ffff" + "ffffffff" + "00000002"
        + "1c000000046b31047631020268027816000a02010a68656c6c6f00"

    /// Three records with gzip compression, from kafka-python.
    static let gzipBatch = "00000000000000000000007d00000000028c4350df0001000000020000018bcfe568000000018bcfe56802ffffffffffffffffffffffffffff000000031f8b08003cbc066b02ffcb636060e0c84ead34702b4bcc294dd535c047317195142526a7b2252625e731303181f41942f519e2a350f4b1b080f41941f519e1a390f40100bc60b52ba8000000"

    @Test func encoderMatchesReferenceBytes() throws {
        var builder = RecordBatchBuilder()
        builder.append(key: ByteBuffer(string: "k1"), value: ByteBuffer(string: "v1"), headers: [KafkaHeader(key: "h", value: "x")], timestamp: 1_700_000_000_000)
        builder.append(key: nil, value: ByteBuffer(string: "hello"), headers: [], timestamp: 1_700_000_000_005)
        #expect(try builder.build().hex == Self.referenceBatch)
        #expect(builder.sizeInBytes == Self.referenceBatch.count / 2)
    }

    @Test func decodesReferenceBatch() throws {
        var buffer = ByteBuffer(hex: Self.referenceBatch)
        buffer.setInteger(Int64(100), at: 0)  // as stored by a broker at offset 100
        let (records, next) = try RecordBatch.decodeRecordSet(buffer)
        #expect(next == 102)
        #expect(records == [
            DecodedRecord(offset: 100, timestamp: 1_700_000_000_000, key: ByteBuffer(string: "k1"), value: ByteBuffer(string: "v1"), headers: [KafkaHeader(key: "h", value: "x")]),
            DecodedRecord(offset: 101, timestamp: 1_700_000_000_005, key: nil, value: ByteBuffer(string: "hello"), headers: []),
        ])
    }

    @Test func decodesGzipBatchFromAnotherClient() throws {
        let (records, next) = try RecordBatch.decodeRecordSet(ByteBuffer(hex: Self.gzipBatch))
        #expect(next == 3)
        #expect(records.map(\.offset) == [0, 1, 2])
        #expect(records.map { String(buffer: $0.key!) } == ["key0", "key1", "key2"])
        #expect(records[2].value.map { String(buffer: $0) } == String(repeating: "value-2", count: 5))
        #expect(records[1].headers == [KafkaHeader(key: "trace", value: "abc")])
        #expect(records[1].timestamp == 1_700_000_000_001)
    }

    @Test(arguments: [KafkaCompression.none, .gzip])
    func roundTrip(compression: KafkaCompression) throws {
        var builder = RecordBatchBuilder()
        var expected: [DecodedRecord] = []
        for i in 0..<500 {
            let key: ByteBuffer? = i % 3 == 0 ? nil : ByteBuffer(string: "key-\(i)")
            let value: ByteBuffer? = i % 7 == 0 ? nil : ByteBuffer(string: String(repeating: "v", count: i))
            let headers = i % 2 == 0 ? [KafkaHeader(key: "n", value: "\(i)"), KafkaHeader(key: "null", value: nil)] : []
            builder.append(key: key, value: value, headers: headers, timestamp: 1_000 + Int64(i))
            expected.append(DecodedRecord(offset: Int64(i), timestamp: 1_000 + Int64(i), key: key, value: value, headers: headers))
        }
        let batch = try builder.build(compression: compression)
        // Two batches back to back plus a truncated third, as a Fetch may return.
        var set = batch
        var second = batch
        second.setInteger(Int64(500), at: second.readerIndex)
        set.writeImmutableBuffer(second)
        set.writeImmutableBuffer(batch.getSlice(at: batch.readerIndex, length: 40)!)
        let (records, next) = try RecordBatch.decodeRecordSet(set)
        #expect(next == 1000)
        #expect(Array(records.prefix(500)) == expected)
        #expect(records.count == 1000)
        #expect(records.last?.offset == 999)
    }

    @Test func corruptBatchIsRejected() {
        var buffer = ByteBuffer(hex: Self.referenceBatch)
        buffer.setInteger(UInt8(0x41), at: buffer.writerIndex - 3)  // flip a value byte
        #expect {
            try RecordBatch.decodeRecordSet(buffer)
        } throws: { ($0 as? KafkaError)?.code == .corruptRecord }
    }

    @Test func unsupportedCodecIsReportedNotMisread() throws {
        var buffer = ByteBuffer(hex: Self.referenceBatch)
        buffer.setInteger(Int16(4), at: RecordBatch.attributesOffset)  // claim zstd
        let crc = buffer.withUnsafeReadableBytes { CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[RecordBatch.attributesOffset...])) }
        buffer.setInteger(crc, at: RecordBatch.crcOffset)
        do {
            _ = try RecordBatch.decodeRecordSet(buffer)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unsupportedCompression)
            #expect(error.detail?.contains("zstd") == true)
        }
    }

    @Test func controlBatchesAdvanceOffsetWithoutRecords() throws {
        var builder = RecordBatchBuilder()
        builder.append(key: ByteBuffer(bytes: [0, 0, 0, 0]), value: ByteBuffer(bytes: [0, 0, 0, 0, 0, 0]), headers: [], timestamp: 1)
        var batch = try builder.build()
        batch.setInteger(Int64(9), at: 0)
        batch.setInteger(RecordBatch.controlFlag | RecordBatch.transactionalFlag, at: RecordBatch.attributesOffset)
        let crc = batch.withUnsafeReadableBytes { CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[RecordBatch.attributesOffset...])) }
        batch.setInteger(crc, at: RecordBatch.crcOffset)
        let (records, next) = try RecordBatch.decodeRecordSet(batch)
        #expect(records.isEmpty)
        #expect(next == 10)
    }
}
