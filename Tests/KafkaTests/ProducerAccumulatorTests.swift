import NIOCore
import Testing

@testable import Kafka

@Suite struct ProducerAccumulatorTests {
    private func accumulator(linger: Duration = .milliseconds(5), maxBatchBytes: Int = 1024) -> ProducerAccumulator {
        var a = ProducerAccumulator(linger: linger, maxBatchBytes: maxBatchBytes, maxRequestBytes: 1 << 20,
                                    retryBackoff: .milliseconds(100), deliveryTimeout: .seconds(10), compression: .none)
        a.updateMetadata(topic: "t", leaders: [1, 1, 2, 2])
        return a
    }

    @discardableResult
    private func append(_ a: inout ProducerAccumulator, key: String?, value: String = "v", partition: Int32? = nil, now: ContinuousClock.Instant) -> KafkaDelivery? {
        if case .appended(let d, _) = a.append(topic: "t", partition: partition, key: key.map { ByteBuffer(string: $0) }, value: ByteBuffer(string: value), headers: [], timestamp: 0, now: now) {
            return d
        }
        return nil
    }

    @Test func keyedRecordsUseMurmur2() {
        var a = accumulator()
        let now = ContinuousClock.now
        // kafka-python murmur2: "foobar" -> partition 2 of 4, "21" -> 0, "abc" -> 3.
        #expect(append(&a, key: "foobar", now: now)?.partition == 2)
        #expect(append(&a, key: "21", now: now)?.partition == 0)
        #expect(append(&a, key: "abc", now: now)?.partition == 3)
    }

    @Test func unknownTopicNeedsMetadata() {
        var a = accumulator()
        guard case .needsMetadata = a.append(topic: "other", partition: nil, key: nil, value: nil, headers: [], timestamp: 0, now: .now) else {
            Issue.record("expected needsMetadata")
            return
        }
    }

    @Test func nullKeysStickUntilTheBatchIsFull() {
        var a = accumulator(maxBatchBytes: 200)
        let now = ContinuousClock.now
        let first = append(&a, key: nil, now: now)!
        var partitions: [Int32] = [first.partition]
        for _ in 0..<40 { partitions.append(append(&a, key: nil, value: "0123456789", now: now)!.partition) }
        // A run of equal partitions per batch, then a switch to a different one.
        let runs = partitions.reduce(into: [(Int32, Int)]()) { runs, p in
            if runs.last?.0 == p { runs[runs.count - 1].1 += 1 } else { runs.append((p, 1)) }
        }
        #expect(runs.count > 1)
        for (a, b) in zip(runs, runs.dropFirst()) { #expect(a.0 != b.0) }
        #expect(runs.dropLast().allSatisfy { $0.1 > 3 })
    }

    @Test func lingerHoldsBatchesUntilDue() {
        var a = accumulator(linger: .milliseconds(5))
        let now = ContinuousClock.now
        append(&a, key: "k", now: now)
        let early = a.drain(now: now)
        #expect(early.byLeader.isEmpty)
        #expect(early.nextDeadline == now + .milliseconds(5))
        let due = a.drain(now: now + .milliseconds(5))
        #expect(due.byLeader.values.flatMap { $0 }.count == 1)
    }

    @Test func fullBatchesGoAtOnceAndFlushSendsEverything() {
        var a = accumulator(linger: .seconds(60), maxBatchBytes: 200)
        let now = ContinuousClock.now
        for _ in 0..<10 { append(&a, key: nil, value: String(repeating: "x", count: 30), partition: 0, now: now) }
        let drained = a.drain(now: now)
        #expect(drained.byLeader[1]?.count == 1)  // one full batch; one per partition in flight
        a.flushing += 1
        append(&a, key: nil, partition: 2, now: now)
        #expect(a.drain(now: now).byLeader[2]?.count == 1)
    }

    @Test func retryKeepsOrderWithinPartition() async throws {
        var a = accumulator(linger: .zero, maxBatchBytes: 100)
        let now = ContinuousClock.now
        var deliveries: [KafkaDelivery] = []
        for i in 0..<6 { deliveries.append(append(&a, key: nil, value: "record-\(i)-padding-padding", partition: 0, now: now)!) }
        let firstBatch = try #require(a.drain(now: now).byLeader[1]?.first)
        // Nothing else of partition 0 goes while the first batch is in flight.
        #expect(a.drain(now: now).byLeader.isEmpty)
        a.failed(firstBatch.partition, error: KafkaError(.notLeaderOrFollower), now: now)
        // The retry waits for the backoff, then for fresh metadata (the leader moved).
        let backingOff = a.drain(now: now + .milliseconds(50))
        #expect(backingOff.byLeader.isEmpty)
        #expect(backingOff.nextDeadline == now + .milliseconds(100))
        #expect(a.drain(now: now + .milliseconds(200)).needsMetadata == ["t"])
        a.updateMetadata(topic: "t", leaders: [2, 1, 2, 2])
        let retried = try #require(a.drain(now: now + .milliseconds(200)).byLeader[2]?.first)
        #expect(retried.id == firstBatch.id)
        #expect(retried.attempts == 2)
        a.succeeded(retried.partition, baseOffset: 40)
        let next = try #require(a.drain(now: now + .milliseconds(200)).byLeader[2]?.first)
        #expect(next.id > firstBatch.id)
        let first = try await deliveries[0].metadata
        #expect(first.offset == 40)
        #expect(first.partition == 0)
    }

    @Test func fatalErrorsFailTheRecords() async {
        var a = accumulator(linger: .zero)
        let now = ContinuousClock.now
        let d = append(&a, key: "k", now: now)!
        let batch = a.drain(now: now).byLeader.values.first!.first!
        a.failed(batch.partition, error: KafkaError(.topicAuthorizationFailed), now: now)
        await #expect(throws: KafkaError(.topicAuthorizationFailed)) { try await d.metadata }
        #expect(a.bufferedBytes == 0)
        #expect(!a.hasPendingBatches)
    }

    @Test func deliveryTimeoutFailsWaitingBatches() async {
        var a = accumulator(linger: .zero)
        let now = ContinuousClock.now
        a.updateMetadata(topic: "t", leaders: [-1, -1, -1, -1])  // no leader: cannot be sent
        let d = append(&a, key: "k", now: now)!
        #expect(a.drain(now: now).needsMetadata == ["t"])
        let late = a.drain(now: now + .seconds(11))
        #expect(late.expired == 1)
        await #expect { try await d.metadata } throws: { ($0 as? KafkaError)?.code == .deliveryTimedOut }
    }

    /// A retriable failure once the delivery time is used up is the producer giving up: the
    /// sender gets `deliveryTimedOut` naming the last attempt's error, not that error alone.
    @Test func aRetriableFailureAfterTheDeliveryTimeoutSaysTheProducerGaveUp() async {
        var a = accumulator(linger: .zero)
        let now = ContinuousClock.now
        let d = append(&a, key: "k", now: now)!
        let sent = a.drain(now: now).byLeader.values.flatMap { $0 }
        #expect(sent.count == 1)
        let tp = sent[0].partition
        a.failed(tp, error: KafkaError(.connectionFailed, detail: "connection refused"), now: now + .seconds(1))
        #expect(a.hasPendingBatches, "within the delivery timeout it is retried")
        let retry = a.drain(now: now + .seconds(2)).byLeader.values.flatMap { $0 }
        #expect(retry.count == 1)
        a.failed(tp, error: KafkaError(.requestTimedOut, detail: "no answer within 2000 ms"), now: now + .seconds(11))
        await #expect { try await d.metadata } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .deliveryTimedOut && !error.code.isRetriable
                && error.debugDescription.contains("after 2 attempts") && error.debugDescription.contains("no answer within 2000 ms")
        }
    }

    @Test func closeFailsNewRecords() {
        var a = accumulator()
        a.close()
        guard case .failed(let e) = a.append(topic: "t", partition: nil, key: nil, value: nil, headers: [], timestamp: 0, now: .now) else {
            Issue.record("expected failure")
            return
        }
        #expect(e.code == .producerShutDown)
    }
}
