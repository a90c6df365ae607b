import EmporiumTesting
import Logging
import NIOCore
import Testing

@testable import Kafka

/// Against a real Tansu broker (see `TansuBroker`). Every wait is bounded by `withTimeout`.
@Suite(.timeLimit(.minutes(1))) struct IntegrationTests {
    static func configuration(_ broker: TansuBroker) throws -> KafkaConfiguration {
        var c = try KafkaConfiguration(bootstrapServers: [broker.bootstrap])
        c.requestTimeout = .seconds(10)
        return c
    }

    static func consumerConfiguration(group: String, topics: [String]) -> KafkaConsumerConfiguration {
        var c = KafkaConsumerConfiguration(groupID: group, topics: topics)
        // Short enough that failover tests stay quick, long enough that a heartbeat delayed by
        // the rest of the suite running in parallel does not evict a healthy member (whose
        // uncommitted records would then be read twice after the rebalance).
        c.sessionTimeout = .seconds(5)
        c.rebalanceTimeout = .seconds(8)
        c.autoOffsetReset = .earliest
        c.autoCommitInterval = .milliseconds(200)
        c.fetchMaxWait = .milliseconds(100)
        return c
    }

    @Test func adminCreatesAndListsTopics() async throws {
        let broker = try await TansuBroker.shared()
        let admin = KafkaAdmin(configuration: try Self.configuration(broker))
        let topic = uniqueName("admin")
        try await admin.createTopic(topic, partitions: 3)
        let topics = try await admin.listTopics()
        let created = try #require(topics.first { $0.name == topic })
        #expect(created.partitions.map(\.partition) == [0, 1, 2])
        #expect(created.partitions.allSatisfy { $0.leader >= 0 })
        await #expect { try await admin.createTopic(topic, partitions: 3) } throws: { ($0 as? KafkaError)?.code == .topicAlreadyExists }
        await admin.close()
    }

    @Test func produceConsumeRoundTripWithKeysAndHeaders() async throws {
        let broker = try await TansuBroker.shared()
        let config = try Self.configuration(broker)
        let topic = uniqueName("roundtrip")
        let admin = KafkaAdmin(configuration: config)
        try await admin.createTopic(topic, partitions: 4)
        await admin.close()

        let producer = KafkaProducer(configuration: config)
        let consumer = KafkaConsumer(configuration: config, consumerConfiguration: Self.consumerConfiguration(group: uniqueName("g"), topics: [topic]))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            group.addTask { try await consumer.run() }

            var sent: [String: KafkaRecordMetadata] = [:]
            for i in 0..<50 {
                let key = "key-\(i % 10)"
                let m = try await producer.send(
                    topic: topic, key: ByteBuffer(string: key), value: ByteBuffer(string: "value-\(i)"),
                    headers: [KafkaHeader(key: "n", value: "\(i)"), KafkaHeader(key: "empty", value: nil)]
                )
                #expect(m.partition == Murmur2.partition(forKey: Array(key.utf8), partitionCount: 4))
                sent["value-\(i)"] = m
            }
            var received: [KafkaConsumerRecord] = []
            for try await record in consumer.records {
                received.append(record)
                if received.count == 50 { break }
            }
            for r in received {
                let value = String(buffer: r.value!)
                let m = try #require(sent[value])
                #expect(r.partition == m.partition)
                #expect(r.offset == m.offset)
                #expect(r.key.map { String(buffer: $0) } == "key-\(Int(value.dropFirst(6))! % 10)")
                #expect(r.headers == [KafkaHeader(key: "n", value: String(value.dropFirst(6))), KafkaHeader(key: "empty", value: nil)])
            }
            #expect(Set(received.map { String(buffer: $0.value!) }) == Set(sent.keys))
            consumer.shutdown()
            producer.shutdown()
            try await group.waitForAll()
        }
    }
}
