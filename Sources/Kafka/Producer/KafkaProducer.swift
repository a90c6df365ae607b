public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
import Synchronization

/// An asynchronous Kafka producer.
///
/// `run()` must be running (directly, or as a `Service` in a `ServiceGroup`) for records to be
/// sent; when it ends (graceful shutdown or cancellation) the producer stops accepting records,
/// delivers what is buffered within `shutdownTimeout`, and fails whatever remains with
/// ``KafkaError/Code/producerShutDown``. No record is dropped silently: every `send` either
/// returns its offset or throws.
public final class KafkaProducer: Service, Sendable {
    let cluster: KafkaCluster
    let configuration: KafkaProducerConfiguration
    let logger: Logger
    private let state: Mutex<ProducerAccumulator>
    private let memoryWaiters = Mutex<[CheckedContinuation<Void, Never>]>([])
    private let wake = WakeSignal()
    private let loopEventLoop: any EventLoop
    private let metadataRefresh = Mutex<(running: Bool, last: ContinuousClock.Instant?)>((false, nil))
    private let closing = Mutex<ContinuousClock.Instant?>(nil)

    public init(
        configuration: KafkaConfiguration,
        producerConfiguration: KafkaProducerConfiguration = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "kafka.producer")
    ) {
        self.cluster = KafkaCluster(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        self.configuration = producerConfiguration
        self.logger = logger
        self.loopEventLoop = eventLoopGroup.next()
        self.state = Mutex(ProducerAccumulator(
            linger: producerConfiguration.linger, maxBatchBytes: producerConfiguration.maxBatchBytes,
            maxRequestBytes: producerConfiguration.maxRequestBytes, retryBackoff: producerConfiguration.retryBackoff,
            deliveryTimeout: producerConfiguration.deliveryTimeout, compression: producerConfiguration.compression
        ))
    }

    // MARK: Sending

    /// Sends one record and waits until the broker has acknowledged it (per `acks`).
    ///
    /// - Parameters:
    ///   - key: records with equal keys go to the same partition (murmur2, as the Java client).
    ///   - partition: overrides the partitioner.
    /// - Throws: ``KafkaError`` when the record cannot be delivered.
    @discardableResult
    public func send(
        topic: String, key: ByteBuffer? = nil, value: ByteBuffer?, headers: [KafkaHeader] = [], partition: Int32? = nil
    ) async throws -> KafkaRecordMetadata {
        try await enqueue(topic: topic, key: key, value: value, headers: headers, partition: partition).metadata
    }

    /// Buffers one record and returns without waiting for the broker; await the returned
    /// delivery's `metadata` for the outcome. Waits only while `bufferMemory` is exhausted.
    public func enqueue(
        topic: String, key: ByteBuffer? = nil, value: ByteBuffer?, headers: [KafkaHeader] = [], partition: Int32? = nil
    ) async throws -> KafkaDelivery {
        let timestamp = currentTimeMillis()
        let limit = configuration.bufferMemory
        while true {
            let result: ProducerAccumulator.AppendResult? = state.withLock { s in
                if s.bufferedBytes >= limit && !s.isClosed { return nil }
                return s.append(topic: topic, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp, now: .now)
            }
            switch result {
            case .appended(let delivery, let full):
                if full || delivery.index == 0 { wake.signal() }
                return delivery
            case .needsMetadata:
                let info = try await cluster.topicInfo(topic, autoCreate: configuration.allowAutoTopicCreation)
                state.withLock { $0.updateMetadata(topic: topic, leaders: info.leaders) }
            case .failed(let error):
                throw error
            case nil:
                await withCheckedContinuation { c in
                    // Checked under the waiters' lock so a release between check and append is not lost.
                    let ready = memoryWaiters.withLock { waiters in
                        let ready = state.withLock { $0.bufferedBytes < limit || $0.isClosed }
                        if !ready { waiters.append(c) }
                        return ready
                    }
                    if ready { c.resume() }
                }
            }
        }
    }

    /// Sends every buffered record now and waits until each is acknowledged or failed.
    /// Failures are reported to the records' senders, not here.
    public func flush() async {
        let pending = state.withLock { s in
            s.flushing += 1
            return s.pendingCompletions()
        }
        wake.signal()
        for c in pending { _ = try? await c.baseOffset() }
        state.withLock { $0.flushing -= 1 }
    }

    // MARK: Service

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await senderLoop()
            } onCancel: {
                self.beginShutdown()
            }
        } onGracefulShutdown: {
            self.beginShutdown()
        }
        await cluster.close()
    }

    /// Stops intake; the sender loop delivers what is buffered, then `run()` returns.
    public func shutdown() { beginShutdown() }

    private func beginShutdown() {
        let deadline = ContinuousClock.now + configuration.shutdownTimeout
        let first = closing.withLock { c in
            if c != nil { return false }
            c = deadline
            return true
        }
        guard first else { return }
        state.withLock { $0.close() }
        wake.signal(at: deadline, on: loopEventLoop)
        wake.signal()
        resumeMemoryWaiters()
    }

    private func senderLoop() async {
        await withTaskGroup(of: Void.self) { group in
            var timerAt: ContinuousClock.Instant?
            while true {
                let now = ContinuousClock.now
                if let deadline = closing.withLock({ $0 }), deadline <= now {
                    state.withLock { $0.failAll(KafkaError(.producerShutDown, detail: "not delivered within the shutdown timeout")) }
                    resumeMemoryWaiters()
                    break
                }
                let drained = state.withLock { $0.drain(now: now) }
                if drained.expired > 0 { resumeMemoryWaiters() }
                for (leader, batches) in drained.byLeader {
                    group.addTask { await self.produce(to: leader, batches) }
                }
                var deadline = drained.nextDeadline
                if !drained.needsMetadata.isEmpty, let retryAt = startMetadataRefresh(drained.needsMetadata, group: &group) {
                    deadline = min(deadline ?? retryAt, retryAt)
                }
                let (closed, pending) = state.withLock { ($0.isClosed, $0.hasPendingBatches) }
                if closed && !pending { break }
                if let deadline, timerAt.map({ deadline < $0 || $0 <= now }) ?? true {
                    timerAt = deadline
                    wake.signal(at: deadline, on: loopEventLoop)
                }
                await wake.wait()
            }
        }
    }

    /// Starts one metadata refresh at a time, at most once per `retryBackoff`; returns when to
    /// look again if it could not start now.
    private func startMetadataRefresh(_ topics: Set<String>, group: inout TaskGroup<Void>) -> ContinuousClock.Instant? {
        let now = ContinuousClock.now
        let backoff = configuration.retryBackoff
        let decision: ContinuousClock.Instant?? = metadataRefresh.withLock { m in
            if m.running { return .some(nil) }
            if let last = m.last, last + backoff > now { return .some(last + backoff) }
            m = (true, now)
            return .none
        }
        if let decision { return decision }
        group.addTask {
            do {
                try await self.cluster.refreshMetadata(topics: Array(topics), autoCreate: self.configuration.allowAutoTopicCreation)
                let cached = await self.cluster.cachedTopics()
                self.state.withLock { s in
                    for t in topics { if let info = cached[t] { s.updateMetadata(topic: t, leaders: info.leaders) } }
                }
            } catch {
                self.logger.debug("kafka metadata refresh failed", metadata: ["error": "\(error)"])
            }
            self.metadataRefresh.withLock { $0.running = false }
            self.wake.signal()
        }
        return now + backoff
    }

    private func produce(to leader: Int32, _ batches: [ProducerAccumulator.Batch]) async {
        let byTopic = Dictionary(grouping: batches, by: \.partition.topic)
        let request = ProduceRequest(
            acks: configuration.acks.rawValue,
            timeoutMs: Int32(clamping: configuration.produceTimeout.milliseconds),
            topics: byTopic.map { topic, batches in
                .init(name: topic, partitions: batches.map { .init(partition: $0.partition.partition, records: $0.encoded!) })
            }
        )
        do {
            let connection = try await cluster.connection(toNode: leader)
            let response = try await connection.send(request)
            var answered = Set<TopicPartition>()
            var leaderErrors = false
            state.withLock { s in
                for t in response.topics {
                    for p in t.partitions {
                        let tp = TopicPartition(topic: t.name, partition: p.partition)
                        answered.insert(tp)
                        if p.errorCode == 0 {
                            s.succeeded(tp, baseOffset: p.baseOffset)
                        } else {
                            let error = KafkaError(.init(protocolCode: p.errorCode), detail: "\(tp): \(p.errorMessage ?? "")")
                            leaderErrors = leaderErrors || error.isRetriable
                            s.failed(tp, error: error, now: .now)
                        }
                    }
                }
                for b in batches where !answered.contains(b.partition) {
                    s.failed(b.partition, error: KafkaError(.malformedResponse, detail: "no answer for \(b.partition)"), now: .now)
                }
            }
            if leaderErrors { logger.debug("kafka produce retriable errors", metadata: ["kafka.node": "\(leader)"]) }
        } catch {
            let kafkaError = error as? KafkaError ?? KafkaError(.connectionFailed, detail: "\(error)")
            logger.debug("kafka produce failed", metadata: ["kafka.node": "\(leader)", "error": "\(kafkaError.debugDescription)"])
            state.withLock { s in
                for b in batches { s.failed(b.partition, error: kafkaError, now: .now) }
            }
        }
        resumeMemoryWaiters()
        wake.signal()
    }

    private func resumeMemoryWaiters() {
        let waiters = memoryWaiters.withLock { w in
            defer { w = [] }
            return w
        }
        for w in waiters { w.resume() }
    }
}

extension KafkaProducer {
    /// Sends a record with string key and value (UTF-8).
    @discardableResult
    public func send(topic: String, key: String?, value: String, headers: [KafkaHeader] = []) async throws -> KafkaRecordMetadata {
        try await send(topic: topic, key: key.map { ByteBuffer(string: $0) }, value: ByteBuffer(string: value), headers: headers)
    }
}
