public import Logging
public import NIOCore
public import NIOPosix

/// Topic administration.
public final class KafkaAdmin: Sendable {
    public struct TopicDescription: Sendable, Hashable {
        public var name: String
        public var partitions: [PartitionDescription]
        public var isInternal: Bool
    }
    public struct PartitionDescription: Sendable, Hashable {
        public var partition: Int32
        public var leader: Int32
        public var replicas: [Int32]
        public var inSyncReplicas: [Int32]
    }

    let cluster: KafkaCluster

    public init(
        configuration: KafkaConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "kafka.admin")
    ) {
        self.cluster = KafkaCluster(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Creates a topic; throws ``KafkaError/Code/topicAlreadyExists`` if it exists (check
    /// `error.code` to treat that as success).
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int16 = 1, configs: [String: String] = [:], timeout: Duration = .seconds(30)) async throws {
        let r = try await cluster.sendToAny(CreateTopicsRequest(
            topics: [.init(name: name, numPartitions: partitions, replicationFactor: replicationFactor, configs: configs)],
            timeoutMs: Int32(timeout.milliseconds)
        ))
        guard let result = r.topics.first(where: { $0.name == name }) else {
            throw KafkaError(.malformedResponse, detail: "CreateTopics: no result for \(name)")
        }
        try KafkaError.check(result.errorCode, "\(name): \(result.errorMessage ?? "")")
        try await cluster.refreshMetadata(topics: [name])
    }

    /// Every topic the cluster reports, with partitions.
    public func listTopics() async throws -> [TopicDescription] {
        try await describe(nil)
    }

    public func describeTopics(_ names: [String]) async throws -> [TopicDescription] {
        try await describe(names)
    }

    private func describe(_ names: [String]?) async throws -> [TopicDescription] {
        let r = try await cluster.refreshMetadata(topics: names)
        return try r.topics.map { t in
            try KafkaError.check(t.errorCode, t.name)
            return TopicDescription(
                name: t.name,
                partitions: t.partitions.sorted { $0.partitionIndex < $1.partitionIndex }.map {
                    PartitionDescription(partition: $0.partitionIndex, leader: $0.leaderID, replicas: $0.replicaNodes, inSyncReplicas: $0.isrNodes)
                },
                isInternal: t.isInternal
            )
        }.sorted { $0.name < $1.name }
    }

    /// Closes the admin's connections.
    public func close() async { await cluster.close() }
}
