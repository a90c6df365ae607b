import Logging
import NIOCore
import Synchronization

/// The consumer's I/O side: executes the actions of ``GroupStateMachine`` (coordinator
/// discovery, join/sync, heartbeats, commits, leave) and performs fetches for the iterator.
actor ConsumerCore {
    let cluster: KafkaCluster
    let configuration: KafkaConsumerConfiguration
    let delivery: ConsumerDelivery
    let logger: Logger
    private let wake = WakeSignal()
    nonisolated let events: AsyncStream<KafkaConsumerEvent>
    private let eventsContinuation: AsyncStream<KafkaConsumerEvent>.Continuation
    private let eventLoop: any EventLoop

    private var machine: GroupStateMachine
    private var coordinator: BrokerConnection?
    private var coordinatorAddress: KafkaBrokerAddress?
    /// Next offset to fetch per assigned partition.
    private var positions: [TopicPartition: Int64] = [:]
    private var committed: [TopicPartition: Int64] = [:]
    private var current: (memberID: String, generation: Int32, epoch: UInt64)?
    private var assignmentWaiters: [CheckedContinuation<Void, Never>] = []
    private let shutdownFlag = Mutex(false)
    private var shutdownRequested: Bool { shutdownFlag.withLock { $0 } }
    private var aborted = false
    private var finished = false

    init(cluster: KafkaCluster, configuration: KafkaConsumerConfiguration, delivery: ConsumerDelivery, logger: Logger) {
        self.cluster = cluster
        self.configuration = configuration
        self.delivery = delivery
        self.logger = logger
        self.eventLoop = cluster.eventLoopGroup.next()
        self.machine = GroupStateMachine(
            heartbeatInterval: configuration.effectiveHeartbeatInterval, autoCommitInterval: configuration.autoCommitInterval)
        (events, eventsContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1000))
    }

    var state: GroupStateMachine.State { machine.state }

    // MARK: Group loop

    nonisolated func requestShutdown() {
        shutdownFlag.withLock { $0 = true }
        wake.signal()
    }

    /// Stops without committing or leaving, like a crashed process (for failure tests).
    func abort() async {
        aborted = true
        requestShutdown()
        await cluster.close()
    }

    /// Runs group membership until shutdown (or a fatal error): feeds the state machine's events
    /// and executes its actions, one at a time.
    func runGroup() async throws {
        defer {
            finishDelivery(nil)
            eventsContinuation.finish()
        }
        var action = machine.start(at: .now)
        while !aborted {
            switch action {
            case .finished:
                await cluster.close()
                return
            case .fail(let error):
                finishDelivery(error)
                await cluster.close()
                throw error
            default:
                action = await execute(action)
            }
        }
    }

    /// Executes one non-terminal action; returns the machine's answer to how it went.
    private func execute(_ action: GroupStateMachine.Action) async -> GroupStateMachine.Action {
        switch action {
        case .none:
            return shutdownRequested ? machine.shutdown() : machine.idle(at: .now)
        case .wait(let deadline):
            await sleep(until: deadline)
            return .none
        case .findCoordinator(let delay):
            return await findCoordinator(after: delay)
        case .join(let memberID, let delay):
            return await join(memberID: memberID, after: delay)
        case .syncAsLeader(let memberID, let generation, let strategy, let members):
            return await outcome {
                let assignments = try await computeAssignments(members, strategy: strategy)
                return try await sync(memberID: memberID, generation: generation, assignments: assignments)
            }
        case .syncAsFollower(let memberID, let generation):
            return await outcome { try await sync(memberID: memberID, generation: generation, assignments: []) }
        case .assign(let partitions, let memberID, let generation):
            return await assign(partitions, memberID: memberID, generation: generation)
        case .revoke(let partitions, let next):
            await revoke(partitions)
            return next
        case .heartbeat(let memberID, let generation):
            return await outcome {
                let r = try await send(HeartbeatRequest(groupID: configuration.groupID, generationID: generation, memberID: memberID))
                return machine.groupResponse(errorCode: r.errorCode, generation: generation)
            }
        case .commit(_, let generation):
            return await outcome {
                let code = try await commitProcessed()
                return machine.groupResponse(errorCode: code, generation: generation)
            }
        case .leave(let memberID, let revoking):
            return await leave(memberID: memberID, revoking: revoking)
        case .finished, .fail:
            return action  // terminal: `runGroup` ends on them
        }
    }

    // MARK: Group steps

    private func findCoordinator(after delay: Duration) async -> GroupStateMachine.Action {
        guard await sleepUnlessShutdown(delay) else { return machine.shutdown() }
        do {
            try await connectToCoordinator()
            return machine.coordinatorFound()
        } catch {
            return machine.coordinatorFailed(kafkaError(error))
        }
    }

    private func join(memberID: String, after delay: Duration) async -> GroupStateMachine.Action {
        guard await sleepUnlessShutdown(delay) else { return machine.shutdown() }
        return await outcome {
            let request = JoinGroupRequest(
                groupID: configuration.groupID,
                sessionTimeoutMs: Int32(configuration.sessionTimeout.milliseconds),
                rebalanceTimeoutMs: Int32(configuration.rebalanceTimeout.milliseconds),
                memberID: memberID,
                protocols: configuration.assignmentStrategies.map {
                    ($0.rawValue, ConsumerSubscription(topics: configuration.topics).encode())
                }
            )
            let response = try await send(request, timeout: configuration.rebalanceTimeout + .seconds(5))
            return machine.joinCompleted(response)
        }
    }

    private func assign(_ partitions: [TopicPartition], memberID: String, generation: Int32) async -> GroupStateMachine.Action {
        do {
            try await startAssignment(partitions, memberID: memberID, generation: generation)
            return machine.assignmentStarted(at: .now)
        } catch {
            // Could not read committed offsets: the machine rejoins to start over cleanly.
            logger.debug("kafka consumer assignment failed", metadata: ["error": "\(error)"])
            return machine.requestFailed(kafkaError(error))
        }
    }

    private func leave(memberID: String, revoking: [TopicPartition]) async -> GroupStateMachine.Action {
        if !revoking.isEmpty { await revoke(revoking) }
        _ = try? await send(LeaveGroupRequest(groupID: configuration.groupID, memberID: memberID))
        return machine.leaveCompleted()
    }

    /// The machine's next action from `request`, or its answer to the request failing in transport.
    private func outcome(_ request: () async throws -> GroupStateMachine.Action) async -> GroupStateMachine.Action {
        do {
            return try await request()
        } catch {
            return machine.requestFailed(kafkaError(error))
        }
    }

    /// Waits until `deadline` or a shutdown request.
    private func sleep(until deadline: ContinuousClock.Instant) async {
        if shutdownRequested { return }
        wake.signal(at: deadline, on: eventLoop)
        await wake.wait()
    }

    /// Sleeps `duration`; false if shutdown was requested (meanwhile or before).
    private func sleepUnlessShutdown(_ duration: Duration) async -> Bool {
        if duration > .zero { await sleep(until: .now + duration) }
        return !shutdownRequested
    }

    private func kafkaError(_ error: any Error) -> KafkaError {
        error as? KafkaError ?? KafkaError(.connectionFailed, detail: "\(error)")
    }

    private func finishDelivery(_ error: KafkaError?) {
        finished = true
        delivery.finish(error)
        let waiters = assignmentWaiters
        assignmentWaiters = []
        for w in waiters { w.resume() }
    }

    // MARK: Coordinator requests

    private func connectToCoordinator() async throws {
        let r = try await cluster.sendToAny(FindCoordinatorRequest(key: configuration.groupID))
        try KafkaError.check(r.errorCode, r.errorMessage)
        let address = KafkaBrokerAddress(host: r.host, port: Int(r.port))
        coordinator = try await cluster.connection(to: address)
        coordinatorAddress = address
    }

    private func send<R: KafkaRequest>(_ request: R, timeout: Duration? = nil) async throws -> R.Response {
        guard let address = coordinatorAddress else { throw KafkaError(.coordinatorNotAvailable) }
        let connection = try await cluster.connection(to: address)
        return try await connection.send(request, timeout: timeout.map { .nanoseconds($0.nanoseconds) })
    }

    private func computeAssignments(
        _ members: [JoinGroupRequest.Member], strategy: KafkaAssignmentStrategy
    ) async throws -> [(memberID: String, assignment: ByteBuffer)] {
        var subscriptions: [String: [String]] = [:]
        for m in members { subscriptions[m.memberID] = try ConsumerSubscription.decode(m.metadata).topics }
        let topics = Set(subscriptions.values.flatMap { $0 }).sorted()
        let metadata = try await cluster.refreshMetadata(topics: topics)
        var counts: [String: Int] = [:]
        for t in metadata.topics where t.errorCode == 0 { counts[t.name] = t.partitions.count }
        let assignment = strategy.assign(subscriptions: subscriptions, partitionCounts: counts)
        logger.debug("kafka group assignment", metadata: ["kafka.group": "\(configuration.groupID)", "assignment": "\(assignment)"])
        return assignment.sorted { $0.key < $1.key }.map { ($0.key, ConsumerAssignment(partitions: $0.value).encode()) }
    }

    private func sync(memberID: String, generation: Int32, assignments: [(memberID: String, assignment: ByteBuffer)]) async throws -> GroupStateMachine.Action {
        let r = try await send(SyncGroupRequest(groupID: configuration.groupID, generationID: generation, memberID: memberID, assignments: assignments))
        let assignment = r.errorCode == 0 ? try ConsumerAssignment.decode(r.assignment).partitions : []
        return machine.syncCompleted(errorCode: r.errorCode, assignment: assignment)
    }

    // MARK: Offsets

    private func startAssignment(_ partitions: [TopicPartition], memberID: String, generation: Int32) async throws {
        var start: [TopicPartition: Int64] = [:]
        if !partitions.isEmpty {
            let r = try await send(OffsetFetchRequest(groupID: configuration.groupID, partitions: partitions))
            try KafkaError.check(r.errorCode, "OffsetFetch")
            var missing: [TopicPartition] = []
            for tp in partitions {
                if let o = r.offsets[tp], o >= 0 { start[tp] = o } else { missing.append(tp) }
            }
            for tp in missing { start[tp] = try await resetOffset(tp) }
        }
        committed = start
        positions = start
        let epoch = delivery.assign(partitions, startingAt: start)
        current = (memberID, generation, epoch)
        logger.debug("kafka partitions assigned", metadata: ["kafka.group": "\(configuration.groupID)", "partitions": "\(start)"])
        eventsContinuation.yield(.assigned(partitions))
        let waiters = assignmentWaiters
        assignmentWaiters = []
        for w in waiters { w.resume() }
    }

    /// The starting offset of a partition without a committed offset. "Latest" comes from a
    /// Fetch's high watermark, which Tansu reports correctly (its ListOffsets latest can be off).
    private func resetOffset(_ tp: TopicPartition) async throws -> Int64 {
        let leader = try await cluster.leader(for: tp)
        let connection = try await cluster.connection(toNode: leader)
        switch configuration.autoOffsetReset {
        case .earliest:
            let r = try await connection.send(ListOffsetsRequest(topics: [.init(name: tp.topic, partitions: [(tp.partition, ListOffsetsRequest.earliest)])]))
            guard let p = r.topics.first?.partitions.first else { throw KafkaError(.malformedResponse, detail: "ListOffsets") }
            try KafkaError.check(p.errorCode, "ListOffsets \(tp)")
            return max(p.offset, 0)
        case .latest:
            let listed = try await connection.send(ListOffsetsRequest(topics: [.init(name: tp.topic, partitions: [(tp.partition, ListOffsetsRequest.latest)])]))
            guard let l = listed.topics.first?.partitions.first else { throw KafkaError(.malformedResponse, detail: "ListOffsets") }
            try KafkaError.check(l.errorCode, "ListOffsets \(tp)")
            // Tansu's ListOffsets "latest" is the last batch's base offset + 1 (wrong after
            // multi-record batches); a Fetch's high watermark is right. Tansu answers a Fetch with
            // max_wait 0 with no topics at all, hence the short wait.
            let r = try await connection.send(FetchRequest(
                maxWaitMs: 10, minBytes: 1, maxBytes: 64 * 1024,
                topics: [.init(name: tp.topic, partitions: [.init(partition: tp.partition, fetchOffset: max(l.offset, 0), partitionMaxBytes: 64 * 1024)])]
            ))
            if let p = r.topics.first(where: { $0.name == tp.topic })?.partitions.first(where: { $0.partition == tp.partition }),
               p.errorCode == 0, p.highWatermark >= 0
            {
                return p.highWatermark
            }
            return max(l.offset, 0)
        }
    }

    private func revoke(_ partitions: [TopicPartition]) async {
        let processed = delivery.revoke()
        positions = [:]
        _ = try? await commit(processed)
        current = nil
        committed = [:]
        eventsContinuation.yield(.revoked(partitions))
    }

    /// Commits what the application has processed; returns the group error code (0 = ok).
    func commitProcessed() async throws -> Int16 {
        try await commit(delivery.processedOffsets())
    }

    private func commit(_ offsets: [TopicPartition: Int64]) async throws -> Int16 {
        guard let current else { return 0 }
        let changed = offsets.filter { committed[$0.key] != $0.value }
        if changed.isEmpty { return 0 }
        let r = try await send(OffsetCommitRequest(
            groupID: configuration.groupID, generationID: current.generation, memberID: current.memberID, offsets: changed
        ))
        var groupError: Int16 = 0
        for (tp, code) in r.errors {
            if code == 0 {
                if let o = changed[tp] { committed[tp] = o }
            } else {
                groupError = code
            }
        }
        return groupError
    }

    /// Explicit commit from the application: the record last handed out counts as processed.
    func commitNow() async throws {
        delivery.markLastReturnedProcessed()
        guard current != nil else { return }
        let code = try await commitProcessed()
        try KafkaError.check(code, "OffsetCommit")
    }

    // MARK: Fetching

    /// Fetches once for the current assignment and hands the records to `delivery`. Returns
    /// after one round trip (which waits up to `fetchMaxWait` on the broker when idle).
    func fill() async {
        if finished { return }
        guard let current else {
            await withCheckedContinuation { assignmentWaiters.append($0) }
            return
        }
        let epoch = current.epoch
        let generation = current.generation
        var byLeader: [Int32: [TopicPartition]] = [:]
        var needsMetadata = false
        for tp in positions.keys.sorted() {
            if let leader = try? await cluster.leader(for: tp) { byLeader[leader, default: []].append(tp) } else { needsMetadata = true }
        }
        if needsMetadata { _ = try? await cluster.refreshMetadata(topics: configuration.topics) }
        if byLeader.isEmpty {
            // No partitions (more members than partitions) or no leaders yet: poll again shortly.
            // (Not `sleep(until:)`: the group loop owns that wake signal.)
            try? await Task.sleep(for: .milliseconds(100))
            return
        }
        let requests = byLeader.map { leader, tps in
            (leader, FetchRequest(
                maxWaitMs: Int32(configuration.fetchMaxWait.milliseconds), minBytes: Int32(configuration.fetchMinBytes),
                maxBytes: Int32(configuration.fetchMaxBytes),
                topics: Dictionary(grouping: tps, by: \.topic).map { topic, tps in
                    .init(name: topic, partitions: tps.map { .init(partition: $0.partition, fetchOffset: positions[$0] ?? 0, partitionMaxBytes: Int32(configuration.partitionMaxBytes)) })
                }
            ))
        }
        let cluster = self.cluster
        let responses = await withTaskGroup(of: Result<FetchRequest.Response, any Error>.self) { group in
            for (leader, request) in requests {
                group.addTask {
                    do {
                        return .success(try await cluster.connection(toNode: leader).send(request, timeout: nil))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<FetchRequest.Response, any Error>] = []
            for await r in group { all.append(r) }
            return all
        }
        // A rebalance may have started while the fetch was out: then its records are not ours.
        guard self.current?.epoch == epoch, machine.mayDeliver(fetchedIn: generation) else { return }
        var records: [KafkaConsumerRecord] = []
        var failed = false
        for response in responses {
            switch response {
            case .failure(let error):
                logger.debug("kafka fetch failed", metadata: ["error": "\(error)"])
                failed = true
            case .success(let r):
                for t in r.topics {
                    for p in t.partitions {
                        handlePartition(TopicPartition(topic: t.name, partition: p.partition), p, into: &records, failed: &failed)
                    }
                }
            }
        }
        if failed {
            _ = try? await cluster.refreshMetadata(topics: configuration.topics)
        }
        if records.isEmpty && failed {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if self.current?.epoch == epoch { delivery.append(records, epoch: epoch) }
    }

    private func handlePartition(_ tp: TopicPartition, _ p: FetchRequest.PartitionResponse, into records: inout [KafkaConsumerRecord], failed: inout Bool) {
        guard let position = positions[tp] else { return }
        switch p.errorCode {
        case 0:
            guard let data = p.records, data.readableBytes > 0 else { return }
            do {
                let (decoded, next) = try RecordBatch.decodeRecordSet(data)
                var last = position
                // A fetch from the middle of a batch returns the whole batch: skip what is behind us.
                for r in decoded where r.offset >= position {
                    records.append(KafkaConsumerRecord(
                        topic: tp.topic, partition: tp.partition, offset: r.offset, timestamp: r.timestamp,
                        key: r.key, value: r.value, headers: r.headers
                    ))
                    last = r.offset + 1
                }
                positions[tp] = max(last, next ?? last)
            } catch {
                logger.error("kafka undecodable records", metadata: ["kafka.partition": "\(tp)", "error": "\(error)"])
                finishDelivery(error)
            }
        case KafkaError.Code.offsetOutOfRange.protocolCode!:
            let target = configuration.autoOffsetReset == .earliest ? p.logStartOffset : p.highWatermark
            logger.info("kafka offset out of range, resetting", metadata: ["kafka.partition": "\(tp)", "kafka.offset": "\(target)"])
            positions[tp] = max(target, 0)
        default:
            failed = true
        }
    }
}
