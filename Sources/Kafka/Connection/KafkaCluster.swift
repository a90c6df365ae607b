import Logging
import NIOCore
import NIOPosix

/// Cluster view shared by producer, consumer and admin: one connection per broker, bootstrap
/// rotation, reconnect with exponential backoff, and a metadata cache.
actor KafkaCluster {
    struct TopicInfo: Sendable, Hashable {
        /// Leader node per partition index (-1 while the partition has no leader).
        var leaders: [Int32]
        var partitionCount: Int { leaders.count }
    }

    let configuration: KafkaConfiguration
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    private(set) var brokers: [Int32: KafkaBrokerAddress] = [:]
    private(set) var topics: [String: TopicInfo] = [:]
    private var connections: [KafkaBrokerAddress: BrokerConnection] = [:]
    private var connecting: [KafkaBrokerAddress: [CheckedContinuation<BrokerConnection, any Error>]] = [:]
    private var failures: [KafkaBrokerAddress: (count: Int, at: ContinuousClock.Instant)] = [:]
    private var bootstrapIndex = 0
    private var closed = false

    init(configuration: KafkaConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    // MARK: Connections

    /// The live connection to `address`, connecting (once, however many callers ask) if needed.
    func connection(to address: KafkaBrokerAddress) async throws -> BrokerConnection {
        if closed { throw KafkaError(.connectionClosed, detail: "client closed") }
        if let existing = connections[address], existing.isActive { return existing }
        if connecting[address] != nil {
            return try await withCheckedThrowingContinuation { connecting[address, default: []].append($0) }
        }
        connecting[address] = []
        let result: Result<BrokerConnection, any Error>
        do {
            if let delay = backoffRemaining(for: address) { try await Task.sleep(for: delay) }
            let c = try await BrokerConnection.connect(to: address, configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
            result = .success(c)
        } catch {
            result = .failure(error)
        }
        let waiters = connecting.removeValue(forKey: address) ?? []
        switch result {
        case .success(let c):
            if closed { c.close() }
            connections[address] = c
            failures[address] = nil
        case .failure(let error):
            let count = (failures[address]?.count ?? 0) + 1
            failures[address] = (count, .now)
            logger.debug("kafka connect failed", metadata: ["kafka.broker": "\(address)", "error": "\(error)"])
        }
        for w in waiters { w.resume(with: result) }
        return try result.get()
    }

    private func backoffRemaining(for address: KafkaBrokerAddress) -> Duration? {
        guard let f = failures[address] else { return nil }
        var delay = configuration.reconnectBackoff * (1 << min(f.count - 1, 16))
        if delay > configuration.reconnectBackoffMax { delay = configuration.reconnectBackoffMax }
        let remaining = f.at + delay - .now
        return remaining > .zero ? remaining : nil
    }

    func connection(toNode node: Int32) async throws -> BrokerConnection {
        guard let address = brokers[node] else {
            throw KafkaError(.leaderNotAvailable, detail: "unknown broker \(node)")
        }
        return try await connection(to: address)
    }

    /// Some live broker: an open connection if there is one, else the bootstrap list and known
    /// brokers in turn.
    func anyConnection() async throws -> BrokerConnection {
        if let open = connections.values.first(where: { $0.isActive }) { return open }
        let bootstrap = configuration.bootstrapServers
        let start = bootstrapIndex % bootstrap.count
        var candidates: [KafkaBrokerAddress] = Array(bootstrap[start...])
        candidates.append(contentsOf: bootstrap[..<start])
        let known: [KafkaBrokerAddress] = brokers.values.sorted { $0.description < $1.description }
        for address in known where !candidates.contains(address) { candidates.append(address) }
        var lastError: (any Error)?
        for address in candidates {
            do {
                return try await connection(to: address)
            } catch {
                lastError = error
                bootstrapIndex += 1
            }
        }
        throw KafkaError(.noBrokersAvailable, detail: lastError.map { "\($0)" })
    }

    /// Sends to any broker, retrying once on another connection if this one breaks.
    func sendToAny<R: KafkaRequest>(_ request: R) async throws -> R.Response {
        do {
            return try await anyConnection().send(request)
        } catch let error as KafkaError where error.code == .connectionClosed || error.code == .requestTimedOut {
            return try await anyConnection().send(request)
        }
    }

    func close() {
        closed = true
        for c in connections.values { c.close() }
        connections = [:]
    }

    // MARK: Metadata

    /// Refreshes metadata for `topics` (nil: all topics). With `autoCreate` the broker may create
    /// missing topics (the only way Tansu auto-creates).
    @discardableResult
    func refreshMetadata(topics wanted: [String]?, autoCreate: Bool = false) async throws -> MetadataRequest.Response {
        let response = try await sendToAny(MetadataRequest(topics: wanted, allowAutoTopicCreation: autoCreate))
        for b in response.brokers {
            brokers[b.nodeID] = KafkaBrokerAddress(host: b.host, port: Int(b.port))
        }
        for t in response.topics {
            if t.errorCode != 0 || t.partitions.isEmpty {
                topics[t.name] = nil
                continue
            }
            var leaders = [Int32](repeating: -1, count: t.partitions.count)
            for p in t.partitions where Int(p.partitionIndex) < leaders.count {
                leaders[Int(p.partitionIndex)] = p.errorCode == 0 || p.leaderID >= 0 ? p.leaderID : -1
            }
            topics[t.name] = TopicInfo(leaders: leaders)
        }
        return response
    }

    /// Metadata for `topic`, fetched if not cached; throws if the topic does not exist.
    func topicInfo(_ topic: String, autoCreate: Bool = false) async throws -> TopicInfo {
        if let info = topics[topic] { return info }
        let response = try await refreshMetadata(topics: [topic], autoCreate: autoCreate)
        if let info = topics[topic] { return info }
        let code = response.topics.first { $0.name == topic }?.errorCode ?? 3
        throw KafkaError(code == 0 ? .unknownTopicOrPartition : .init(protocolCode: code), detail: "topic \(topic)")
    }

    func leader(for tp: TopicPartition) async throws -> Int32 {
        let info = try await topicInfo(tp.topic)
        guard Int(tp.partition) < info.partitionCount, info.leaders[Int(tp.partition)] >= 0 else {
            throw KafkaError(.leaderNotAvailable, detail: "\(tp)")
        }
        return info.leaders[Int(tp.partition)]
    }

    func cachedTopics() -> [String: TopicInfo] { topics }
}
