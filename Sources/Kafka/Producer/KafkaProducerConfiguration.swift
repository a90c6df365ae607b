/// Producer settings; defaults favour durability (`acks=all`) and throughput (large batches).
public struct KafkaProducerConfiguration: Sendable {
    public enum Acks: Int16, Sendable {
        /// Every in-sync replica has the record (Kafka's `acks=all`).
        case all = -1
        /// The leader has written the record.
        case leader = 1
    }

    public var acks: Acks = .all
    /// How long a batch waits for more records before it is sent.
    public var linger: Duration = .milliseconds(5)
    /// A batch is sent once it reaches this size (uncompressed).
    public var maxBatchBytes: Int = 256 * 1024
    /// Upper bound of one Produce request (all batches for one broker).
    public var maxRequestBytes: Int = 4 * 1024 * 1024
    /// `send`/`enqueue` wait while this many bytes are buffered and not yet acknowledged.
    public var bufferMemory: Int = 64 * 1024 * 1024
    public var compression: KafkaCompression = .none
    /// Delay before retrying a batch after a retriable error.
    public var retryBackoff: Duration = .milliseconds(100)
    /// A record not acknowledged within this time (retries included) fails.
    public var deliveryTimeout: Duration = .seconds(120)
    /// Broker-side time limit for replication with `acks=all`.
    public var produceTimeout: Duration = .seconds(30)
    /// Ask the broker to create unknown topics (through Metadata).
    public var allowAutoTopicCreation: Bool = true
    /// On shutdown, how long buffered records may take to be delivered before they fail.
    public var shutdownTimeout: Duration = .seconds(30)

    public init() {}
}
