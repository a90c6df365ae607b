public import NIOCore

/// A record delivered to a consumer.
public struct KafkaConsumerRecord: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Milliseconds since the Unix epoch (create time, or log-append time if the topic says so).
    public var timestamp: Int64
    public var key: ByteBuffer?
    public var value: ByteBuffer?
    public var headers: [KafkaHeader]

    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }
}

/// Group membership changes, in order.
public enum KafkaConsumerEvent: Sendable, Hashable {
    /// These partitions are now fetched (possibly none, if the group has more members than partitions).
    case assigned([TopicPartition])
    /// These partitions were given up; processed offsets were committed first.
    case revoked([TopicPartition])
}
