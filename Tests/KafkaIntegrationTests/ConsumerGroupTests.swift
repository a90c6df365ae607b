import EmporiumTesting
import NIOCore
import Testing

@testable import Kafka

@Suite(.timeLimit(.minutes(1))) struct ConsumerGroupTests {
    private func setUp(partitions: Int32) async throws -> (KafkaConfiguration, String) {
        let broker = try await TansuBroker.shared()
        let config = try IntegrationTests.configuration(broker)
        let topic = uniqueName("group")
        let admin = KafkaAdmin(configuration: config)
        try await admin.createTopic(topic, partitions: partitions)
        await admin.close()
        return (config, topic)
    }

    private func produce(_ config: KafkaConfiguration, topic: String, values: Range<Int>) async throws {
        let producer = KafkaProducer(configuration: config)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            var deliveries: [KafkaDelivery] = []
            for i in values {
                deliveries.append(try await producer.enqueue(topic: topic, key: ByteBuffer(string: "k\(i)"), value: ByteBuffer(string: "\(i)")))
            }
            for d in deliveries { _ = try await d.metadata }
            producer.shutdown()
            try await group.waitForAll()
        }
    }

    /// Runs `consumer`, logging each record as `id` until `stop` says so; returns the consumer's
    /// own count.
    private func consume(_ consumer: KafkaConsumer, id: Int, into log: RecordLog, stopAfter limit: Int = .max) async throws -> Int {
        var n = 0
        for try await r in consumer.records {
            await log.add(.init(consumer: id, partition: r.partition, offset: r.offset, value: String(buffer: r.value!)))
            n += 1
            if n == limit { break }
        }
        return n
    }

    /// Waits for the first `.assigned` event.
    private func firstAssignment(_ consumer: KafkaConsumer) async -> [TopicPartition]? {
        for await e in consumer.events { if case .assigned(let ps) = e { return ps } }
        return nil
    }

    @Test func twoConsumersSplitPartitionsAndReadEverythingOnce() async throws {
        let (config, topic) = try await setUp(partitions: 4)
        let groupID = uniqueName("split")
        let a = KafkaConsumer(configuration: config, consumerConfiguration: IntegrationTests.consumerConfiguration(group: groupID, topics: [topic]))
        let b = KafkaConsumer(configuration: config, consumerConfiguration: IntegrationTests.consumerConfiguration(group: groupID, topics: [topic]))
        let log = RecordLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await a.run() }
            group.addTask { try await b.run() }
            // Both members settle in one generation with two partitions each.
            try await withTimeout(20, "balanced assignment") {
                var seen: [Int: [TopicPartition]] = [:]
                await withTaskGroup(of: (Int, [TopicPartition]).self) { g in
                    for (id, c) in [(0, a), (1, b)] {
                        g.addTask {
                            var last: [TopicPartition] = []
                            for await e in c.events {
                                if case .assigned(let ps) = e { last = ps }
                                if last.count == 2 { break }
                            }
                            return (id, last)
                        }
                    }
                    for await (id, ps) in g { seen[id] = ps }
                }
                #expect(Set(seen[0]!).isDisjoint(with: seen[1]!))
            }
            group.addTask { _ = try await self.consume(a, id: 0, into: log) }
            group.addTask { _ = try await self.consume(b, id: 1, into: log) }
            try await produce(config, topic: topic, values: 0..<400)
            try await withTimeout(20, "all 400 records") { await log.waitForUnique(400) }
            a.shutdown()
            b.shutdown()
            try await group.waitForAll()
        }
        let entries = await log.entries
        #expect(entries.count == 400, "every record exactly once")
        #expect(Set(entries.map(\.value)).count == 400)
        let partitionsA = Set(entries.filter { $0.consumer == 0 }.map(\.partition))
        let partitionsB = Set(entries.filter { $0.consumer == 1 }.map(\.partition))
        #expect(partitionsA.count == 2 && partitionsB.count == 2)
        #expect(partitionsA.isDisjoint(with: partitionsB))
    }

    @Test func commitStopRestartResumesWithoutLossOrDuplicates() async throws {
        let (config, topic) = try await setUp(partitions: 3)
        let groupID = uniqueName("resume")
        try await produce(config, topic: topic, values: 0..<100)
        let log = RecordLog()
        var consumerConfig = IntegrationTests.consumerConfiguration(group: groupID, topics: [topic])
        consumerConfig.autoCommitInterval = nil  // only explicit commits and the one on shutdown

        let first = KafkaConsumer(configuration: config, consumerConfiguration: consumerConfig)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await first.run() }
            let n = try await withTimeout(20, "first 40 records") { try await self.consume(first, id: 0, into: log, stopAfter: 40) }
            #expect(n == 40)
            try await first.commit()
            first.shutdown()
            try await group.waitForAll()
        }

        let second = KafkaConsumer(configuration: config, consumerConfiguration: consumerConfig)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await second.run() }
            let n = try await withTimeout(20, "remaining 60 records") { try await self.consume(second, id: 1, into: log, stopAfter: 60) }
            #expect(n == 60)
            second.shutdown()
            try await group.waitForAll()
        }
        let entries = await log.entries
        #expect(Set(entries.map(\.value)) == Set((0..<100).map { "\($0)" }))
        #expect(entries.count == 100, "no record delivered twice")
    }

    /// Batches are at most `limit` long, in offset order per partition, and count as processed
    /// whole: a restart after a commit resumes after the last batch taken, losing and repeating
    /// nothing.
    @Test func batchesCommitWholeAndResumeWithoutLossOrDuplicates() async throws {
        let (config, topic) = try await setUp(partitions: 3)
        let groupID = uniqueName("batches")
        try await produce(config, topic: topic, values: 0..<100)
        var consumerConfig = IntegrationTests.consumerConfiguration(group: groupID, topics: [topic])
        consumerConfig.autoCommitInterval = nil  // only explicit commits and the one on shutdown
        var taken: [[KafkaConsumerRecord]] = []
        for (round, stopAt) in [(0, 40), (1, 100)] {
            let consumer = KafkaConsumer(configuration: config, consumerConfiguration: consumerConfig)
            taken = try await withThrowingTaskGroup(of: [[KafkaConsumerRecord]].self) { group in
                group.addTask { try await consumer.run(); return [] }
                let before = taken
                let batches = try await withTimeout(20, "round \(round)") {
                    var batches = before
                    for try await batch in consumer.batches(limit: 16) {
                        batches.append(batch)
                        if batches.joined().count >= stopAt { break }
                    }
                    return batches
                }
                if round == 0 { try await consumer.commit() }
                consumer.shutdown()
                for try await _ in group {}
                return batches
            }
        }
        let records = Array(taken.joined())
        #expect(taken.allSatisfy { (1...16).contains($0.count) })
        #expect(records.count == 100, "no record delivered twice")
        #expect(Set(records.map { String(buffer: $0.value!) }) == Set((0..<100).map { "\($0)" }))
        for partition in Set(records.map(\.partition)) {
            let offsets = records.filter { $0.partition == partition }.map(\.offset)
            #expect(offsets == offsets.sorted(), "partition \(partition) in offset order")
        }
    }

    @Test func consumerKilledMidStreamLosesNothing() async throws {
        let (config, topic) = try await setUp(partitions: 3)
        let groupID = uniqueName("killed")
        try await produce(config, topic: topic, values: 0..<150)
        let log = RecordLog()
        let victim = KafkaConsumer(configuration: config, consumerConfiguration: IntegrationTests.consumerConfiguration(group: groupID, topics: [topic]))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await victim.run() }
            _ = try await withTimeout(20, "first 50 records") { try await self.consume(victim, id: 0, into: log, stopAfter: 50) }
            await victim.abort()  // no commit, no LeaveGroup: like a crashed process
            try await group.waitForAll()
        }
        let survivor = KafkaConsumer(configuration: config, consumerConfiguration: IntegrationTests.consumerConfiguration(group: groupID, topics: [topic]))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await survivor.run() }
            group.addTask { _ = try await self.consume(survivor, id: 1, into: log) }
            // The survivor takes over once the victim's session (2 s) expires.
            try await withTimeout(30, "every record after takeover") { await log.waitForUnique(150) }
            survivor.shutdown()
            try await group.waitForAll()
        }
        let entries = await log.entries
        #expect(Set(entries.map(\.value)) == Set((0..<150).map { "\($0)" }), "nothing lost")
        let survivorValues = entries.filter { $0.consumer == 1 }.map(\.value)
        #expect(Set(survivorValues).count == survivorValues.count, "the survivor itself reads each record once")
    }

    @Test func latestResetSkipsWhatWasThere() async throws {
        let (config, topic) = try await setUp(partitions: 2)
        try await produce(config, topic: topic, values: 0..<30)  // multi-record batches
        var consumerConfig = IntegrationTests.consumerConfiguration(group: uniqueName("latest"), topics: [topic])
        consumerConfig.autoOffsetReset = .latest
        let consumer = KafkaConsumer(configuration: config, consumerConfiguration: consumerConfig)
        let log = RecordLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await consumer.run() }
            let assigned = try await withTimeout(20, "assignment") { await self.firstAssignment(consumer) }
            #expect(assigned?.count == 2)
            group.addTask { _ = try await self.consume(consumer, id: 0, into: log) }
            try await produce(config, topic: topic, values: 30..<40)
            try await withTimeout(20, "new records") { await log.waitForUnique(10) }
            consumer.shutdown()
            try await group.waitForAll()
        }
        #expect(Set(await log.entries.map(\.value)) == Set((30..<40).map { "\($0)" }))
    }

    @Test func gzipRoundTrip() async throws {
        let (config, topic) = try await setUp(partitions: 1)
        var producerConfig = KafkaProducerConfiguration()
        producerConfig.compression = .gzip
        let producer = KafkaProducer(configuration: config, producerConfiguration: producerConfig)
        let consumer = KafkaConsumer(configuration: config, consumerConfiguration: IntegrationTests.consumerConfiguration(group: uniqueName("gzip"), topics: [topic]))
        let log = RecordLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            group.addTask { try await consumer.run() }
            var deliveries: [KafkaDelivery] = []
            for i in 0..<200 {
                deliveries.append(try await producer.enqueue(topic: topic, value: ByteBuffer(string: String(repeating: "compressible-\(i)-", count: 20))))
            }
            for d in deliveries { _ = try await d.metadata }
            group.addTask { _ = try await self.consume(consumer, id: 0, into: log, stopAfter: 200) }
            try await withTimeout(20, "gzip records") { await log.waitForUnique(200) }
            consumer.shutdown()
            producer.shutdown()
            try await group.waitForAll()
        }
        let entries = await log.entries
        #expect(entries.map(\.offset) == Array(0..<200))
        #expect(entries[7].value == String(repeating: "compressible-7-", count: 20))
    }
}
