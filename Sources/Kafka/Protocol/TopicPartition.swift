/// A partition of a topic.
public struct TopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (l: TopicPartition, r: TopicPartition) -> Bool {
        (l.topic, l.partition) < (r.topic, r.partition)
    }

    public var description: String { "\(topic)-\(partition)" }
}
