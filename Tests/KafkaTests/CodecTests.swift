import NIOCore
import Testing

@testable import Kafka

@Suite struct PrimitiveCodecTests {
    @Test(arguments: [
        (Int64(0), "00"), (Int64(-1), "01"), (Int64(1), "02"), (Int64(-2), "03"), (Int64(63), "7e"),
        (Int64(64), "8001"), (Int64(-65), "8101"), (Int64(300), "d804"), (Int64.max, "feffffffffffffffff01"),
        (Int64.min, "ffffffffffffffffff01"),
    ])
    func zigZagVarints(value: Int64, hex: String) throws {
        var b = ByteBuffer()
        b.writeVarint(value)
        #expect(b.hex == hex)
        #expect(varintSize(value) == hex.count / 2)
        #expect(try b.readVarint() == value)
        #expect(b.readableBytes == 0)
    }

    @Test func stringsBytesAndArrays() throws {
        var b = ByteBuffer()
        b.writeKafkaString("ab")
        b.writeKafkaNullableString(nil)
        b.writeKafkaBytes(ByteBuffer(bytes: [1, 2]))
        b.writeKafkaBytes(nil)
        b.writeKafkaArray([Int32(7), 8]) { $0.writeInteger($1) }
        #expect(b.hex == "00026162" + "ffff" + "000000020102" + "ffffffff" + "00000002" + "00000007" + "00000008")
        #expect(try b.readKafkaString() == "ab")
        #expect(try b.readKafkaNullableString() == nil)
        #expect(try b.readKafkaBytes() == ByteBuffer(bytes: [1, 2]))
        #expect(try b.readKafkaBytes() == nil)
        #expect(try b.readKafkaArray { (b) throws(KafkaError) -> Int32 in try b.readKafkaInt() } == [7, 8])
    }

    @Test func truncatedInputIsAnErrorNotACrash() {
        var b = ByteBuffer(hex: "0005 6162")  // string of length 5 with 2 bytes
        #expect(throws: KafkaError.self) { try b.readKafkaString() }
        var array = ByteBuffer(hex: "7fffffff")  // absurd element count
        #expect(throws: KafkaError.self) { try array.readKafkaArray { (b) throws(KafkaError) -> Int32 in try b.readKafkaInt() } }
    }
}

@Suite struct RequestEncodingTests {
    private func frame<R: KafkaRequest>(_ r: R, correlationID: Int32 = 7, clientID: String? = "ab") -> String {
        var b = ByteBuffer()
        KafkaFraming.encodeRequest(r, correlationID: correlationID, clientID: clientID, into: &b)
        return b.hex
    }

    @Test func apiVersionsFrameHasRequestHeaderV1() {
        // size 12 | api key 18 | version 2 | correlation id 7 | client id "ab" | empty body
        #expect(frame(ApiVersionsRequest()) == "0000000c" + "0012" + "0002" + "00000007" + "00026162")
    }

    @Test func metadataV8() {
        let body = "00000001" + "00026162" + "01" + "00" + "00"
        #expect(frame(MetadataRequest(topics: ["ab"], allowAutoTopicCreation: true)).hasSuffix("0003" + "0008" + "00000007" + "00026162" + body))
        // nil topics = all topics, encoded as a null array
        #expect(frame(MetadataRequest(topics: nil, allowAutoTopicCreation: false)).hasSuffix("ffffffff" + "00" + "00" + "00"))
    }

    @Test func produceV8() {
        let records = ByteBuffer(bytes: [0xAA, 0xBB])
        let r = ProduceRequest(acks: -1, timeoutMs: 1000, topics: [.init(name: "t", partitions: [.init(partition: 2, records: records)])])
        let body = "ffff" + "ffff" + "000003e8" + "00000001" + "000174" + "00000001" + "00000002" + "00000002aabb"
        #expect(frame(r, clientID: nil) == "00000027" + "0000" + "0008" + "00000007" + "ffff" + body)
    }

    @Test func fetchV11() {
        let r = FetchRequest(maxWaitMs: 500, minBytes: 1, maxBytes: 1024, topics: [.init(name: "t", partitions: [.init(partition: 1, fetchOffset: 42, partitionMaxBytes: 256)])])
        let body = "ffffffff" + "000001f4" + "00000001" + "00000400" + "00" + "00000000" + "ffffffff"
            + "00000001" + "000174" + "00000001" + "00000001" + "ffffffff" + "000000000000002a" + "ffffffffffffffff" + "00000100"
            + "00000000" + "0000"
        #expect(frame(r).hasSuffix("0001" + "000b" + "00000007" + "00026162" + body))
    }

    @Test func joinGroupV5() {
        let r = JoinGroupRequest(groupID: "g", sessionTimeoutMs: 2000, rebalanceTimeoutMs: 3000, memberID: "",
                                 protocols: [("range", ByteBuffer(bytes: [1]))])
        let body = "000167" + "000007d0" + "00000bb8" + "0000" + "ffff" + "0008" + Array("consumer".utf8).map { String(format2: $0) }.joined()
            + "00000001" + "000572616e6765" + "0000000101"
        #expect(frame(r).hasSuffix("000b" + "0005" + "00000007" + "00026162" + body))
    }

    @Test func offsetCommitV7SortsTopicsAndPartitions() {
        let r = OffsetCommitRequest(groupID: "g", generationID: 3, memberID: "m", offsets: [
            TopicPartition(topic: "b", partition: 0): 5, TopicPartition(topic: "a", partition: 1): 9, TopicPartition(topic: "a", partition: 0): 8,
        ])
        let partition = { (p: String, o: String) in p + o + "ffffffff" + "ffff" }
        let body = "000167" + "00000003" + "00016d" + "ffff" + "00000002"
            + "000161" + "00000002" + partition("00000000", "0000000000000008") + partition("00000001", "0000000000000009")
            + "000162" + "00000001" + partition("00000000", "0000000000000005")
        #expect(frame(r).hasSuffix(body))
    }

    @Test func saslPlainToken() {
        #expect(SaslAuthenticateRequest.plain(username: "u", password: "p").authBytes.hex == "0075" + "0070")
    }

    @Test func consumerProtocolRoundTrip() throws {
        let sub = ConsumerSubscription(topics: ["a", "b"])
        #expect(sub.encode().hex == "0000" + "00000002" + "000161" + "000162" + "ffffffff")
        #expect(try ConsumerSubscription.decode(sub.encode()) == sub)
        let assignment = ConsumerAssignment(partitions: [.init(topic: "b", partition: 0), .init(topic: "a", partition: 2), .init(topic: "a", partition: 1)])
        #expect(assignment.encode().hex == "0000" + "00000002" + "000161" + "00000002" + "00000001" + "00000002" + "000162" + "00000001" + "00000000" + "ffffffff")
        #expect(try ConsumerAssignment.decode(assignment.encode()).partitions == assignment.partitions.sorted())
        #expect(try ConsumerAssignment.decode(ByteBuffer()).partitions.isEmpty)
    }
}

@Suite struct ResponseDecodingTests {
    @Test func apiVersionsV2() throws {
        var b = ByteBuffer(hex: "0000" + "00000002" + "0000" + "0000" + "0009" + "0012" + "0000" + "0003" + "00000000")
        let r = try ApiVersionsRequest.decodeResponse(from: &b)
        #expect(r.errorCode == 0)
        #expect(r.apiKeys == [.init(apiKey: 0, minVersion: 0, maxVersion: 9), .init(apiKey: 18, minVersion: 0, maxVersion: 3)])
    }

    @Test func unsupportedVersionsAreListedClearly() {
        let r = ApiVersionsRequest.Response(errorCode: 0, apiKeys: [
            .init(apiKey: 0, minVersion: 0, maxVersion: 7),  // produce: we need 8
            .init(apiKey: 18, minVersion: 0, maxVersion: 3),
        ], throttleTimeMs: 0)
        do {
            try r.checkSupported([.produce, .apiVersions, .fetch])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unsupportedVersion)
            #expect(error.detail == "broker does not support: produce v8 (broker offers v0-v7), fetch v11 (not offered)")
        }
    }

    @Test func metadataV8() throws {
        var b = ByteBuffer(hex:
            "00000000"  // throttle
            + "00000001" + "0000006f" + "0009" + Array("127.0.0.1".utf8).map { String(format2: $0) }.joined() + "00002384" + "ffff"
            + "0003616263"  // cluster id "abc"
            + "0000006f"  // controller
            + "00000001" + "0000" + "000174" + "00"
            + "00000001" + "0000" + "00000000" + "0000006f" + "00000000" + "00000001" + "0000006f" + "00000001" + "0000006f" + "00000000"
            + "80000000"  // topic authorized operations
            + "80000000")  // cluster authorized operations
        let r = try MetadataRequest.decodeResponse(from: &b)
        #expect(r.brokers == [.init(nodeID: 111, host: "127.0.0.1", port: 9092, rack: nil)])
        #expect(r.clusterID == "abc")
        #expect(r.topics.count == 1)
        #expect(r.topics[0].name == "t")
        #expect(r.topics[0].partitions == [.init(errorCode: 0, partitionIndex: 0, leaderID: 111, leaderEpoch: 0, replicaNodes: [111], isrNodes: [111], offlineReplicas: [])])
        #expect(b.readableBytes == 0)
    }

    @Test func produceV8WithErrorMessage() throws {
        var b = ByteBuffer(hex: "00000001" + "000174" + "00000001"
            + "00000002" + "0006" + "000000000000000a" + "ffffffffffffffff" + "0000000000000000" + "00000000" + "0003626164"
            + "00000000")
        let r = try ProduceRequest.decodeResponse(from: &b)
        let p = try #require(r.topics.first?.partitions.first)
        #expect(p.partition == 2)
        #expect(p.errorCode == 6)
        #expect(p.baseOffset == 10)
        #expect(p.errorMessage == "bad")
        #expect(KafkaError(.init(protocolCode: p.errorCode)).isRetriable)
    }

    @Test func fetchV11() throws {
        var b = ByteBuffer(hex: "00000000" + "0000" + "00000000"
            + "00000001" + "000174" + "00000001"
            + "00000000" + "0000" + "0000000000000005" + "0000000000000005" + "0000000000000000" + "ffffffff" + "ffffffff"
            + "00000003" + "010203")
        let r = try FetchRequest.decodeResponse(from: &b)
        let p = try #require(r.topics.first?.partitions.first)
        #expect(p.highWatermark == 5)
        #expect(p.records == ByteBuffer(bytes: [1, 2, 3]))
    }

    @Test func joinGroupMemberIDRequired() throws {
        var b = ByteBuffer(hex: "00000000" + "004f" + "ffffffff" + "ffff" + "0000" + "00026d31" + "00000000")
        let r = try JoinGroupRequest.decodeResponse(from: &b)
        #expect(r.errorCode == 79)
        #expect(r.memberID == "m1")
        #expect(r.protocolName == "")
    }

    @Test func offsetFetchV5() throws {
        var b = ByteBuffer(hex: "00000000" + "00000001" + "000174" + "00000002"
            + "00000000" + "0000000000000007" + "ffffffff" + "ffff" + "0000"
            + "00000001" + "ffffffffffffffff" + "ffffffff" + "0000" + "0000"
            + "0000")
        let r = try OffsetFetchRequest.decodeResponse(from: &b)
        #expect(r.offsets == [TopicPartition(topic: "t", partition: 0): 7, TopicPartition(topic: "t", partition: 1): -1])
    }

    @Test func errorCodes() {
        #expect(KafkaError(.init(protocolCode: 6)) == KafkaError(.notLeaderOrFollower))
        #expect(KafkaError(.notLeaderOrFollower).isRetriable)
        #expect(!KafkaError(.topicAuthorizationFailed).isRetriable)
        #expect(!KafkaError(.unsupportedCompression).isRetriable)
        #expect(KafkaError(.connectionClosed).isRetriable)
        #expect(KafkaError(.init(protocolCode: 27)).description == "KafkaError(REBALANCE_IN_PROGRESS (27))")
        #expect(KafkaError(.init(protocolCode: 999)).code.description == "kafka error 999")
        #expect(KafkaError(.invalidArgument, detail: "secret").description.contains("secret") == false)
    }
}

@Suite struct CRC32CTests {
    @Test func standardCheckValue() {
        // The CRC-32C "check" value from the catalogue of CRC parameters.
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // iSCSI (RFC 3720, B.4) test vector: 32 bytes of zeros.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    }

    @Test func incrementalEqualsOneShot() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let whole = CRC32C.checksum(data)
        for split in [0, 1, 7, 8, 9, 500, 999] {
            let first = data[..<split].withUnsafeBytes { CRC32C.update(0, $0) }
            let both = data[split...].withUnsafeBytes { CRC32C.update(first, $0) }
            #expect(both == whole)
        }
    }
}

@Suite struct Murmur2Tests {
    /// Hashes from Kafka's `UtilsTest.testMurmur2` and partitions from kafka-python's
    /// Java-compatible murmur2 (checked against confluent-kafka's `murmur2_random` on Tansu).
    @Test(arguments: [
        ("21", Int32(-973_932_308), [Int32(0), 0, 3, 0]),
        ("foobar", -790_332_482, [0, 2, 0, 6]),
        ("a-little-bit-long-string", -985_981_536, [2, 0, 1, 8]),
        ("a-little-bit-longer-string", -1_486_304_829, [2, 3, 0, 11]),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971, [2, 1, 3, 5]),
        ("abc", 479_470_107, [0, 3, 4, 3]),
        ("", 275_646_681, [0, 1, 2, 9]),
        ("order-42", 501_153_024, [0, 0, 1, 0]),
        ("user:1001", -1_961_883_735, [2, 1, 2, 5]),
    ])
    func javaCompatible(key: String, hash: Int32, partitions: [Int32]) {
        #expect(Murmur2.hash(Array(key.utf8)) == hash)
        for (count, expected) in zip([3, 4, 7, 12], partitions) {
            #expect(Murmur2.partition(forKey: Array(key.utf8), partitionCount: count) == expected)
        }
    }
}
