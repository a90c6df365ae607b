import NIOCore

/// The "consumer" embedded protocol carried opaquely in JoinGroup/SyncGroup
/// (`ConsumerProtocolSubscription` / `ConsumerProtocolAssignment`, version 0).
struct ConsumerSubscription: Sendable, Hashable {
    var topics: [String]

    func encode() -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(Int16(0))
        b.writeKafkaArray(topics) { $0.writeKafkaString($1) }
        b.writeKafkaBytes(nil)  // user data
        return b
    }

    /// Reads any version: later versions only append fields.
    static func decode(_ buffer: ByteBuffer) throws(KafkaError) -> ConsumerSubscription {
        var b = buffer
        _ = try b.readKafkaInt(Int16.self)
        return ConsumerSubscription(topics: try b.readKafkaArray { (b) throws(KafkaError) in try b.readKafkaString() })
    }
}

struct ConsumerAssignment: Sendable, Hashable {
    var partitions: [TopicPartition]

    func encode() -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(Int16(0))
        let byTopic = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }
        b.writeKafkaArray(byTopic) { b, t in
            b.writeKafkaString(t.key)
            b.writeKafkaArray(t.value.map(\.partition).sorted()) { $0.writeInteger($1) }
        }
        b.writeKafkaBytes(nil)
        return b
    }

    static func decode(_ buffer: ByteBuffer) throws(KafkaError) -> ConsumerAssignment {
        var b = buffer
        if b.readableBytes == 0 { return ConsumerAssignment(partitions: []) }  // no assignment
        _ = try b.readKafkaInt(Int16.self)
        var result: [TopicPartition] = []
        _ = try b.readKafkaArray { (b) throws(KafkaError) in
            let topic = try b.readKafkaString()
            let ps = try b.readKafkaArray { (b) throws(KafkaError) -> Int32 in try b.readKafkaInt() }
            result += ps.map { TopicPartition(topic: topic, partition: $0) }
        }
        return ConsumerAssignment(partitions: result.sorted())
    }
}
