import NIOCore

/// The producer's buffers, as a value with no I/O: records go in through `append`, the sender
/// takes ready batches out with `drain`, and reports outcomes with `succeeded`/`failed`.
///
/// Ordering: each partition has at most one batch in flight, and a batch that must be retried
/// goes back to the head of its partition's queue, so records of one partition are written in
/// the order they were appended, retries included.
struct ProducerAccumulator {
    struct Batch {
        var id: UInt64
        var partition: TopicPartition
        var builder: RecordBatchBuilder
        var completion = DeliveryCompletion()
        var createdAt: ContinuousClock.Instant
        var attempts = 0
        /// Why the previous attempt failed, for the error when delivery time runs out.
        var lastError: KafkaError?
        /// Bytes counted in `bufferedBytes` for this batch.
        var accountedBytes = 0
        /// Encoded once, on the first drain; retries resend the same bytes.
        var encoded: ByteBuffer?
    }

    private struct PartitionQueue {
        var open: Batch?
        var sealed = CircularBuffer<Batch>()
        var inFlight: Batch?
        var retryAt: ContinuousClock.Instant?
        var isEmpty: Bool { open == nil && sealed.isEmpty && inFlight == nil }
    }

    enum AppendResult {
        case appended(KafkaDelivery, batchFull: Bool)
        /// The topic's partition count is not known: refresh metadata and try again.
        case needsMetadata
        case failed(KafkaError)
    }

    struct Drained {
        /// Batches to send, by leader node.
        var byLeader: [Int32: [Batch]] = [:]
        /// When the next batch becomes ready by linger or retry backoff.
        var nextDeadline: ContinuousClock.Instant?
        /// Topics whose leaders are unknown.
        var needsMetadata: Set<String> = []
        /// Batches that ran out of delivery time; already failed.
        var expired = 0
    }

    var linger: Duration
    var maxBatchBytes: Int
    var maxRequestBytes: Int
    var retryBackoff: Duration
    var deliveryTimeout: Duration
    var compression: KafkaCompression

    private var queues: [TopicPartition: PartitionQueue] = [:]
    private(set) var partitionCounts: [String: Int] = [:]
    private var leaders: [String: [Int32]] = [:]
    private var sticky: [String: (partition: Int32, batchID: UInt64)] = [:]
    private var nextBatchID: UInt64 = 1
    private(set) var bufferedBytes = 0
    /// While > 0, open batches are ready at once (flush or shutdown in progress).
    var flushing = 0
    private(set) var isClosed = false
    private var randomGenerator = SystemRandomNumberGenerator()

    init(linger: Duration, maxBatchBytes: Int, maxRequestBytes: Int, retryBackoff: Duration, deliveryTimeout: Duration, compression: KafkaCompression) {
        self.linger = linger
        self.maxBatchBytes = maxBatchBytes
        self.maxRequestBytes = maxRequestBytes
        self.retryBackoff = retryBackoff
        self.deliveryTimeout = deliveryTimeout
        self.compression = compression
    }

    mutating func updateMetadata(topic: String, leaders: [Int32]) {
        partitionCounts[topic] = leaders.count
        self.leaders[topic] = leaders
    }

    // MARK: Append

    mutating func append(
        topic: String, partition explicit: Int32?, key: ByteBuffer?, value: ByteBuffer?, headers: [KafkaHeader],
        timestamp: Int64, now: ContinuousClock.Instant
    ) -> AppendResult {
        if isClosed { return .failed(KafkaError(.producerShutDown)) }
        guard let count = partitionCounts[topic] else { return .needsMetadata }
        let size = RecordBatchBuilder.estimatedSize(key: key, value: value, headers: headers)
        if size + RecordBatch.headerSize > maxRequestBytes {
            return .failed(KafkaError(.recordTooLarge, detail: "\(size) bytes"))
        }
        let partition: Int32
        if let explicit {
            guard explicit >= 0, Int(explicit) < count else {
                return .failed(KafkaError(.unknownTopicOrPartition, detail: "\(topic)-\(explicit)"))
            }
            partition = explicit
        } else if let key {
            partition = key.withUnsafeReadableBytes { Murmur2.partition(forKey: $0, partitionCount: count) }
        } else {
            partition = stickyPartition(topic: topic, count: count, recordSize: size)
        }
        let tp = TopicPartition(topic: topic, partition: partition)
        var queue = queues.removeValue(forKey: tp) ?? PartitionQueue()
        if let open = queue.open, open.builder.count > 0, open.builder.sizeInBytes + size > maxBatchBytes {
            queue.sealed.append(open)
            queue.open = nil
        }
        if queue.open == nil {
            queue.open = Batch(id: nextBatchID, partition: tp, builder: RecordBatchBuilder(capacity: min(maxBatchBytes, 16 * 1024)), createdAt: now)
            nextBatchID += 1
            if key == nil && explicit == nil { sticky[topic] = (partition, queue.open!.id) }
        }
        let index = queue.open!.builder.count
        queue.open!.builder.append(key: key, value: value, headers: headers, timestamp: timestamp)
        queue.open!.accountedBytes += size
        bufferedBytes += size
        let delivery = KafkaDelivery(completion: queue.open!.completion, topic: topic, partition: partition, index: index)
        let full = queue.open!.builder.sizeInBytes >= maxBatchBytes
        if full {
            queue.sealed.append(queue.open!)
            queue.open = nil
        }
        queues[tp] = queue
        return .appended(delivery, batchFull: full)
    }

    /// Null keys stick to one partition until its batch is sealed, then move on (KIP-480), so
    /// keyless records still form large batches.
    private mutating func stickyPartition(topic: String, count: Int, recordSize: Int) -> Int32 {
        if let current = sticky[topic],
           let open = queues[TopicPartition(topic: topic, partition: current.partition)]?.open,
           open.id == current.batchID, open.builder.sizeInBytes + recordSize <= maxBatchBytes
        {
            return current.partition
        }
        let previous = sticky[topic]?.partition
        var next = Int32(Int.random(in: 0..<count, using: &randomGenerator))
        if count > 1, next == previous { next = (next + 1) % Int32(count) }
        return next
    }

    // MARK: Drain

    /// Takes the batches that may be sent now: full, lingered long enough, flushing, or due for
    /// retry; at most one per partition in flight, requests capped at `maxRequestBytes` per leader.
    mutating func drain(now: ContinuousClock.Instant) -> Drained {
        var out = Drained()
        var requestBytes: [Int32: Int] = [:]
        for tp in Array(queues.keys) {
            var q = queues[tp]!
            defer { queues[tp] = q.isEmpty ? nil : q }
            // Expire batches that waited too long (never the one in flight: its answer decides).
            while let head = q.sealed.first, head.createdAt + deliveryTimeout <= now {
                q.sealed.removeFirst()
                fail(head, Self.deliveryTimedOut(head, tp))
                out.expired += 1
            }
            if let open = q.open, open.createdAt + deliveryTimeout <= now {
                q.open = nil
                fail(open, Self.deliveryTimedOut(open, tp))
                out.expired += 1
            }
            if q.inFlight != nil { continue }
            if let retryAt = q.retryAt {
                if retryAt > now {
                    out.nextDeadline = min(out.nextDeadline ?? retryAt, retryAt)
                    continue
                }
                q.retryAt = nil
            }
            if q.sealed.isEmpty, let open = q.open {
                let readyAt = open.createdAt + linger
                if flushing > 0 || isClosed || readyAt <= now {
                    q.sealed.append(open)
                    q.open = nil
                } else {
                    out.nextDeadline = min(out.nextDeadline ?? readyAt, readyAt)
                }
            }
            guard var batch = q.sealed.first else { continue }
            guard let leader = leaders[tp.topic], Int(tp.partition) < leader.count, leader[Int(tp.partition)] >= 0 else {
                out.needsMetadata.insert(tp.topic)
                continue
            }
            let node = leader[Int(tp.partition)]
            if batch.encoded == nil {
                do {
                    batch.encoded = try batch.builder.build(compression: compression)
                } catch {
                    q.sealed.removeFirst()
                    fail(batch, error)
                    continue
                }
            }
            let size = batch.encoded!.readableBytes
            if let used = requestBytes[node], used + size > maxRequestBytes { continue }
            requestBytes[node, default: 0] += size
            q.sealed.removeFirst()
            batch.attempts += 1
            q.inFlight = batch
            out.byLeader[node, default: []].append(batch)
        }
        return out
    }

    // MARK: Outcomes

    mutating func succeeded(_ tp: TopicPartition, baseOffset: Int64) {
        guard var q = queues[tp], let batch = q.inFlight else { return }
        q.inFlight = nil
        queues[tp] = q.isEmpty ? nil : q
        bufferedBytes -= batch.accountedBytes
        batch.completion.complete(.success(baseOffset))
    }

    /// A failed attempt: retriable errors put the batch back at the head of its partition's
    /// queue (after `retryBackoff`) unless its delivery time is used up; others fail its records.
    mutating func failed(_ tp: TopicPartition, error: KafkaError, now: ContinuousClock.Instant) {
        guard var q = queues[tp], var batch = q.inFlight else { return }
        q.inFlight = nil
        batch.lastError = error
        if error.isRetriable && !isClosed && batch.createdAt + deliveryTimeout > now {
            q.sealed.prepend(batch)
            q.retryAt = now + retryBackoff
            if error.code == .notLeaderOrFollower || error.code == .leaderNotAvailable || error.code == .unknownTopicOrPartition {
                leaders[tp.topic] = nil  // forces a metadata refresh before the retry
            }
        } else if error.isRetriable && !isClosed {
            // Worth retrying, but out of time: the sender learns that the producer gave up,
            // not just the last attempt's symptom.
            fail(batch, Self.deliveryTimedOut(batch, tp))
        } else {
            fail(batch, error)
        }
        queues[tp] = q.isEmpty ? nil : q
    }

    static func deliveryTimedOut(_ batch: Batch, _ tp: TopicPartition) -> KafkaError {
        let last = batch.lastError.map { "; last error: \($0.debugDescription)" } ?? ""
        return KafkaError(.deliveryTimedOut, detail: "\(tp) not acknowledged within the delivery timeout after \(batch.attempts) attempts\(last)")
    }

    private mutating func fail(_ batch: Batch, _ error: KafkaError) {
        bufferedBytes -= batch.accountedBytes
        batch.completion.complete(.failure(error))
    }

    // MARK: Flush and close

    /// Completions of every batch buffered or in flight now (what `flush` waits for).
    func pendingCompletions() -> [DeliveryCompletion] {
        queues.values.flatMap { q in
            (q.inFlight.map { [$0] } ?? []) + Array(q.sealed) + (q.open.map { [$0] } ?? [])
        }.map(\.completion)
    }

    var hasPendingBatches: Bool { !queues.isEmpty }
    var hasBatchesInFlight: Bool { queues.values.contains { $0.inFlight != nil } }

    /// Stops intake; what is buffered is still drained (immediately, without linger).
    mutating func close() { isClosed = true }

    /// Fails everything not yet answered (used when shutdown cannot deliver it).
    mutating func failAll(_ error: KafkaError) {
        for (_, q) in queues {
            for b in q.sealed { fail(b, error) }
            if let open = q.open { fail(open, error) }
            if let inFlight = q.inFlight { fail(inFlight, error) }
        }
        queues = [:]
    }
}
