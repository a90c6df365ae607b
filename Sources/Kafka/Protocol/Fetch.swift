import NIOCore

struct FetchRequest: KafkaRequest {
    static let apiKey = APIKey.fetch
    struct Partition: Sendable, Hashable {
        var partition: Int32
        var fetchOffset: Int64
        var partitionMaxBytes: Int32
    }
    struct Topic: Sendable, Hashable {
        var name: String
        var partitions: [Partition]
    }
    var maxWaitMs: Int32
    var minBytes: Int32
    var maxBytes: Int32
    var topics: [Topic]

    struct PartitionResponse: Sendable {
        var partition: Int32
        var errorCode: Int16
        var highWatermark: Int64
        var lastStableOffset: Int64
        var logStartOffset: Int64
        var records: ByteBuffer?
    }
    struct TopicResponse: Sendable {
        var name: String
        var partitions: [PartitionResponse]
    }
    struct Response: Sendable {
        var throttleTimeMs: Int32
        var errorCode: Int16
        var sessionID: Int32
        var topics: [TopicResponse]
    }

    func encode(into b: inout ByteBuffer) {
        b.writeInteger(Int32(-1))  // replica id: a consumer
        b.writeInteger(maxWaitMs)
        b.writeInteger(minBytes)
        b.writeInteger(maxBytes)
        b.writeInteger(Int8(0))  // isolation level: read uncommitted
        b.writeInteger(Int32(0))  // session id: no incremental fetch sessions
        b.writeInteger(Int32(-1))  // session epoch: full fetch
        b.writeKafkaArray(topics) { b, topic in
            b.writeKafkaString(topic.name)
            b.writeKafkaArray(topic.partitions) { b, p in
                b.writeInteger(p.partition)
                b.writeInteger(Int32(-1))  // current leader epoch: unknown
                b.writeInteger(p.fetchOffset)
                b.writeInteger(Int64(-1))  // log start offset (followers only)
                b.writeInteger(p.partitionMaxBytes)
            }
        }
        b.writeKafkaArray([Int](), { _, _ in })  // forgotten topics
        b.writeKafkaString("")  // rack id
    }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        let throttle: Int32 = try b.readKafkaInt()
        let error: Int16 = try b.readKafkaInt()
        let session: Int32 = try b.readKafkaInt()
        let topics = try b.readKafkaArray { (b) throws(KafkaError) in
            let name = try b.readKafkaString()
            let partitions = try b.readKafkaArray { (b) throws(KafkaError) in
                let partition: Int32 = try b.readKafkaInt()
                let error: Int16 = try b.readKafkaInt()
                let hw: Int64 = try b.readKafkaInt()
                let lso: Int64 = try b.readKafkaInt()
                let logStart: Int64 = try b.readKafkaInt()
                _ = try b.readKafkaNullableArray { (b) throws(KafkaError) in
                    (try b.readKafkaInt(Int64.self), try b.readKafkaInt(Int64.self))
                }
                _ = try b.readKafkaInt(Int32.self)  // preferred read replica
                let records = try b.readKafkaBytes()
                return PartitionResponse(
                    partition: partition, errorCode: error, highWatermark: hw, lastStableOffset: lso,
                    logStartOffset: logStart, records: records
                )
            }
            return TopicResponse(name: name, partitions: partitions)
        }
        return Response(throttleTimeMs: throttle, errorCode: error, sessionID: session, topics: topics)
    }
}

struct ListOffsetsRequest: KafkaRequest {
    static let apiKey = APIKey.listOffsets
    static let latest: Int64 = -1
    static let earliest: Int64 = -2
    struct Topic: Sendable {
        var name: String
        var partitions: [(partition: Int32, timestamp: Int64)]
    }
    var topics: [Topic]

    struct PartitionResponse: Sendable, Hashable {
        var partition: Int32
        var errorCode: Int16
        var timestamp: Int64
        var offset: Int64
    }
    struct Response: Sendable {
        var throttleTimeMs: Int32
        var topics: [(name: String, partitions: [PartitionResponse])]
    }

    func encode(into b: inout ByteBuffer) {
        b.writeInteger(Int32(-1))  // replica id
        b.writeInteger(Int8(0))  // isolation level
        b.writeKafkaArray(topics) { b, topic in
            b.writeKafkaString(topic.name)
            b.writeKafkaArray(topic.partitions) { b, p in
                b.writeInteger(p.partition)
                b.writeInteger(Int32(-1))  // current leader epoch
                b.writeInteger(p.timestamp)
            }
        }
    }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        let throttle: Int32 = try b.readKafkaInt()
        let topics = try b.readKafkaArray { (b) throws(KafkaError) in
            let name = try b.readKafkaString()
            let partitions = try b.readKafkaArray { (b) throws(KafkaError) in
                let p = PartitionResponse(
                    partition: try b.readKafkaInt(), errorCode: try b.readKafkaInt(),
                    timestamp: try b.readKafkaInt(), offset: try b.readKafkaInt()
                )
                _ = try b.readKafkaInt(Int32.self)  // leader epoch
                return p
            }
            return (name: name, partitions: partitions)
        }
        return Response(throttleTimeMs: throttle, topics: topics)
    }
}
