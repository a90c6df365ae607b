/// How the group leader spreads partitions over members (names as in the Java client, so mixed
/// groups agree on the protocol).
public enum KafkaAssignmentStrategy: String, Sendable, Hashable, CaseIterable {
    /// Per topic, contiguous ranges of partitions to members sorted by id (Java `RangeAssignor`).
    case range = "range"
    /// All partitions dealt one by one to the members that subscribe to their topic
    /// (Java `RoundRobinAssignor`).
    case roundRobin = "roundrobin"

    /// - Parameters:
    ///   - subscriptions: topics per member id.
    ///   - partitionCounts: partitions per topic; topics missing here are skipped.
    /// - Returns: partitions per member id (every member present, possibly with none).
    func assign(subscriptions: [String: [String]], partitionCounts: [String: Int]) -> [String: [TopicPartition]] {
        var result = subscriptions.mapValues { _ in [TopicPartition]() }
        switch self {
        case .range:
            var membersByTopic: [String: [String]] = [:]
            for (member, topics) in subscriptions {
                for t in Set(topics) { membersByTopic[t, default: []].append(member) }
            }
            for (topic, members) in membersByTopic {
                guard let count = partitionCounts[topic], count > 0 else { continue }
                let sorted = members.sorted()
                let per = count / sorted.count
                let extra = count % sorted.count
                for (i, member) in sorted.enumerated() {
                    let start = i * per + min(i, extra)
                    let length = per + (i < extra ? 1 : 0)
                    for p in start..<(start + length) {
                        result[member]!.append(TopicPartition(topic: topic, partition: Int32(p)))
                    }
                }
            }
        case .roundRobin:
            let members = subscriptions.keys.sorted()
            guard !members.isEmpty else { return result }
            let topics = Set(subscriptions.values.flatMap { $0 }).sorted()
            var next = 0
            for topic in topics {
                guard let count = partitionCounts[topic] else { continue }
                for p in 0..<count {
                    // The next member in circular order that subscribes to this topic.
                    for step in 0..<members.count {
                        let member = members[(next + step) % members.count]
                        if subscriptions[member]!.contains(topic) {
                            result[member]!.append(TopicPartition(topic: topic, partition: Int32(p)))
                            next = (next + step + 1) % members.count
                            break
                        }
                    }
                }
            }
        }
        return result.mapValues { $0.sorted() }
    }
}
