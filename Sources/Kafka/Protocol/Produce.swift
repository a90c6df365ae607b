import NIOCore

struct ProduceRequest: KafkaRequest {
    static let apiKey = APIKey.produce
    struct PartitionData: Sendable {
        var partition: Int32
        var records: ByteBuffer
    }
    struct TopicData: Sendable {
        var name: String
        var partitions: [PartitionData]
    }
    /// -1 = all in-sync replicas, 1 = leader only, 0 = no response (not supported by this client).
    var acks: Int16
    var timeoutMs: Int32
    var topics: [TopicData]

    struct PartitionResponse: Sendable, Hashable {
        var partition: Int32
        var errorCode: Int16
        var baseOffset: Int64
        var logAppendTimeMs: Int64
        var logStartOffset: Int64
        var errorMessage: String?
    }
    struct TopicResponse: Sendable, Hashable {
        var name: String
        var partitions: [PartitionResponse]
    }
    struct Response: Sendable, Hashable {
        var topics: [TopicResponse]
        var throttleTimeMs: Int32
    }

    func encode(into b: inout ByteBuffer) {
        b.writeKafkaNullableString(nil)  // transactional id
        b.writeInteger(acks)
        b.writeInteger(timeoutMs)
        b.writeKafkaArray(topics) { b, topic in
            b.writeKafkaString(topic.name)
            b.writeKafkaArray(topic.partitions) { b, p in
                b.writeInteger(p.partition)
                b.writeKafkaBytes(p.records)
            }
        }
    }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        let topics = try b.readKafkaArray { (b) throws(KafkaError) in
            let name = try b.readKafkaString()
            let partitions = try b.readKafkaArray { (b) throws(KafkaError) in
                let partition: Int32 = try b.readKafkaInt()
                let error: Int16 = try b.readKafkaInt()
                let baseOffset: Int64 = try b.readKafkaInt()
                let appendTime: Int64 = try b.readKafkaInt()
                let logStart: Int64 = try b.readKafkaInt()
                let recordErrors = try b.readKafkaArray { (b) throws(KafkaError) in
                    (try b.readKafkaInt(Int32.self), try b.readKafkaNullableString())
                }
                var message = try b.readKafkaNullableString()
                if message == nil, let first = recordErrors.first { message = "record \(first.0): \(first.1 ?? "")" }
                return PartitionResponse(
                    partition: partition, errorCode: error, baseOffset: baseOffset, logAppendTimeMs: appendTime,
                    logStartOffset: logStart, errorMessage: message
                )
            }
            return TopicResponse(name: name, partitions: partitions)
        }
        return Response(topics: topics, throttleTimeMs: try b.readKafkaInt())
    }
}
