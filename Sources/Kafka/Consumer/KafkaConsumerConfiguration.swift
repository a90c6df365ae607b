/// Consumer group settings.
public struct KafkaConsumerConfiguration: Sendable {
    /// Where a partition without a committed offset starts.
    public enum OffsetReset: Sendable, Hashable {
        case earliest
        case latest
    }

    public var groupID: String
    public var topics: [String]
    /// The coordinator removes a member it has not heard from for this long.
    public var sessionTimeout: Duration = .seconds(10)
    /// How long the coordinator waits for members to rejoin during a rebalance.
    public var rebalanceTimeout: Duration = .seconds(30)
    /// Defaults to a third of the session timeout.
    public var heartbeatInterval: Duration?
    /// Commit processed offsets this often; nil commits only on `commit()`, rebalance and shutdown.
    public var autoCommitInterval: Duration? = .seconds(5)
    public var autoOffsetReset: OffsetReset = .latest
    /// Offered in this order of preference; the coordinator picks one all members support.
    public var assignmentStrategies: [KafkaAssignmentStrategy] = [.range, .roundRobin]
    /// A fetch waits at most this long for `fetchMinBytes` to arrive.
    public var fetchMaxWait: Duration = .milliseconds(500)
    public var fetchMinBytes: Int = 1
    public var fetchMaxBytes: Int = 50 * 1024 * 1024
    public var partitionMaxBytes: Int = 4 * 1024 * 1024

    public init(groupID: String, topics: [String]) {
        self.groupID = groupID
        self.topics = topics
    }

    var effectiveHeartbeatInterval: Duration { heartbeatInterval ?? sessionTimeout / 3 }
}
