import EmporiumTesting
import NIOCore
import Testing

@testable import Kafka

/// Tests that stop a broker start their own.
@Suite(.timeLimit(.minutes(1))) struct FailureTests {
    /// Three outcomes must be told apart: delivered, failed with a clear error (the producer
    /// retried until its delivery timeout, then said so with `deliveryTimedOut`), and a hang
    /// (a bounded wait that names what it waited for).
    ///
    /// It once failed on a loaded machine (`swift test --filter Kafka` runs every Kafka suite at
    /// once on two cores) with "KafkaError(request timed out)" thrown by the wait for record 1000
    /// — *before* the outage: the 3 s delivery timeout meant for the outage also bounded the
    /// healthy phase, and the client reported giving up with the same code as one slow request.
    /// Now the healthy phase has its own generous bound and reports itself, and the client's
    /// final error is `deliveryTimedOut` naming the last attempt's error.
    @Test func brokerStoppedDuringProduceFailsOrRetriesNeverDrops() async throws {
        let broker = try await TansuBroker.start()
        defer { broker.stop() }
        var config = try IntegrationTests.configuration(broker)
        config.requestTimeout = .seconds(2)
        config.reconnectBackoffMax = .milliseconds(200)
        var producerConfig = KafkaProducerConfiguration()
        producerConfig.deliveryTimeout = .seconds(12)
        producerConfig.retryBackoff = .milliseconds(50)
        producerConfig.linger = .milliseconds(2)
        producerConfig.maxBatchBytes = 4 * 1024
        let topic = uniqueName("outage")
        let admin = KafkaAdmin(configuration: config)
        try await admin.createTopic(topic, partitions: 2)
        await admin.close()

        let producer = KafkaProducer(configuration: config, producerConfiguration: producerConfig)
        let total = 3000
        let outcomes = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            var deliveries: [KafkaDelivery] = []
            var enqueueFailures = 0
            for i in 0..<total {
                do {
                    deliveries.append(try await producer.enqueue(topic: topic, value: ByteBuffer(string: "record-\(i)")))
                } catch {
                    enqueueFailures += 1
                }
                if i == 1000 {
                    // The first thousand are acknowledged, then the broker goes away mid-stream.
                    // With the broker up, retries cover slow requests for up to 12 s.
                    do {
                        _ = try await deliveries.last!.metadata
                    } catch {
                        Issue.record("before the outage, with the broker up, record 1000 was not acknowledged: \(String(reflecting: error))")
                        producer.shutdown()
                        throw error
                    }
                    broker.stop()
                }
            }
            // Every accepted record resolves, one way or the other, in bounded time: the
            // delivery timeout plus one request timeout, and slack for a loaded machine.
            let results = try await withTimeout(30, "every delivery to resolve (a hang, not a failure)") { [deliveries] in
                var ok = 0
                var failed: [KafkaError] = []
                for d in deliveries {
                    do { _ = try await d.metadata; ok += 1 } catch let e as KafkaError { failed.append(e) }
                }
                return (ok, failed)
            }
            producer.shutdown()
            try await group.waitForAll()  // bounded: the shutdown timeout is 30 s, the queue is already empty
            return (results.0, results.1, enqueueFailures)
        }
        let (succeeded, failed, enqueueFailed) = outcomes
        #expect(succeeded + failed.count + enqueueFailed == total, "no record vanished")
        #expect(succeeded >= 1001)
        #expect(!failed.isEmpty, "records after the outage cannot have been acknowledged")
        // The broker never comes back: every failure is the producer giving up after retrying,
        // said clearly, never a bare symptom of one attempt.
        #expect(failed.allSatisfy { $0.code == .deliveryTimedOut }, "\(Set(failed.map(\.debugDescription)).prefix(3))")
        #expect(failed.allSatisfy { $0.debugDescription.contains("attempts") })
    }

    @Test func producerRecoversWhenTheBrokerComesBack() async throws {
        let broker = try await TansuBroker.start()
        var config = try IntegrationTests.configuration(broker)
        config.requestTimeout = .seconds(2)
        config.reconnectBackoffMax = .milliseconds(200)
        var producerConfig = KafkaProducerConfiguration()
        producerConfig.deliveryTimeout = .seconds(15)
        producerConfig.retryBackoff = .milliseconds(50)
        let topic = uniqueName("recover")
        let admin = KafkaAdmin(configuration: config)
        try await admin.createTopic(topic, partitions: 1)
        await admin.close()
        let producer = KafkaProducer(configuration: config, producerConfiguration: producerConfig)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            _ = try await producer.send(topic: topic, key: nil, value: "before")
            broker.stop()
            let pending = try await producer.enqueue(topic: topic, value: ByteBuffer(string: "during"))
            // Same port, empty storage: the topic has to be created again (auto-create via Metadata).
            let restarted = try await TansuBroker.start(port: broker.port)
            defer { restarted.stop() }
            let m = try await withTimeout(20, "retried send") { try await pending.metadata }
            #expect(m.topic == topic)
            producer.shutdown()
            try await group.waitForAll()
        }
    }

    @Test func unreachableBootstrapFailsClearly() async throws {
        let port = try LocalPort.free()
        var config = try KafkaConfiguration(bootstrapServers: ["127.0.0.1:\(port)"])
        config.connectTimeout = .seconds(1)
        let admin = KafkaAdmin(configuration: config)
        await #expect { try await admin.listTopics() } throws: { ($0 as? KafkaError)?.code == .noBrokersAvailable }
        await admin.close()
    }
}
