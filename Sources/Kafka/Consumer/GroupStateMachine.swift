/// Consumer group membership as a pure state machine: the consumer feeds it events (responses,
/// the current time when it has nothing in flight, shutdown) and executes the actions it returns.
/// It does no I/O and reads no clock (callers pass the time in), so every transition, timers
/// included, is tested without a broker (see `GroupStateMachineTests`).
///
/// Join is two-step: the first JoinGroup with an empty member id is answered with
/// MEMBER_ID_REQUIRED and the id to use; the second joins. The member the coordinator names
/// leader computes the assignment and sends it with its SyncGroup.
struct GroupStateMachine: Sendable {
    typealias Instant = ContinuousClock.Instant

    enum State: Sendable, Hashable {
        case idle
        case findingCoordinator(memberID: String)
        case joining(memberID: String)
        case syncing(memberID: String, generation: Int32)
        case stable(memberID: String, generation: Int32, assignment: [TopicPartition])
        case leaving(memberID: String)
        case left
        case failed(KafkaError)
    }

    enum Action: Sendable, Hashable {
        case findCoordinator(after: Duration)
        case join(memberID: String, after: Duration)
        /// This member leads: compute the assignment from `members`' subscriptions with
        /// `strategy` (the protocol the coordinator chose), then SyncGroup.
        case syncAsLeader(memberID: String, generation: Int32, strategy: KafkaAssignmentStrategy, members: [JoinGroupRequest.Member])
        case syncAsFollower(memberID: String, generation: Int32)
        /// Start fetching `partitions` from their committed offsets, then report `assignmentStarted(at:)`.
        case assign([TopicPartition], memberID: String, generation: Int32)
        /// Stop fetching `partitions` and commit what was processed, then execute `then`.
        indirect case revoke([TopicPartition], then: Action)
        case heartbeat(memberID: String, generation: Int32)
        case commit(memberID: String, generation: Int32)
        /// Commit what was processed of `partitions` (if any), then LeaveGroup.
        case leave(memberID: String, revoking: [TopicPartition])
        /// Nothing is due before `deadline` (or a shutdown request); then ask `idle(at:)` again.
        case wait(until: Instant)
        case finished
        case fail(KafkaError)
        /// Nothing follows from this event: ask `idle(at:)` (or `shutdown()`) for the next step.
        case none
    }

    private(set) var state: State = .idle
    private var consecutiveErrors = 0
    let retryBackoff: Duration
    let maxRetryBackoff: Duration
    let heartbeatInterval: Duration
    /// Nil: commits happen only on `commit()`, rebalance and shutdown.
    let autoCommitInterval: Duration?
    private var nextHeartbeat: Instant?
    private var nextCommit: Instant?
    /// How long to wait before picking membership up again when idle outside a stable group.
    static let idleRetry: Duration = .seconds(1)

    init(
        heartbeatInterval: Duration = .seconds(3), autoCommitInterval: Duration? = nil,
        retryBackoff: Duration = .milliseconds(100), maxRetryBackoff: Duration = .seconds(2)
    ) {
        self.heartbeatInterval = heartbeatInterval
        self.autoCommitInterval = autoCommitInterval
        self.retryBackoff = retryBackoff
        self.maxRetryBackoff = maxRetryBackoff
    }

    var memberID: String? {
        switch state {
        case .findingCoordinator(let m), .joining(let m), .syncing(let m, _), .stable(let m, _, _), .leaving(let m):
            return m.isEmpty ? nil : m
        default:
            return nil
        }
    }

    var generation: Int32? {
        switch state {
        case .syncing(_, let g), .stable(_, let g, _): return g
        default: return nil
        }
    }

    var assignment: [TopicPartition] {
        if case .stable(_, _, let a) = state { return a }
        return []
    }

    private mutating func backoff() -> Duration {
        consecutiveErrors += 1
        var d = retryBackoff * (1 << min(consecutiveErrors - 1, 10))
        if d > maxRetryBackoff { d = maxRetryBackoff }
        return d
    }

    // MARK: Events

    /// The group loop starts at `now`; the auto-commit clock starts with it.
    mutating func start(at now: Instant) -> Action {
        guard case .idle = state else { return .none }
        state = .findingCoordinator(memberID: "")
        nextCommit = autoCommitInterval.map { now + $0 }
        return .findCoordinator(after: .zero)
    }

    mutating func coordinatorFound() -> Action {
        guard case .findingCoordinator(let m) = state else { return .none }
        state = .joining(memberID: m)
        return .join(memberID: m, after: .zero)
    }

    mutating func coordinatorFailed(_ error: KafkaError) -> Action {
        guard case .findingCoordinator = state else { return .none }
        if error.isRetriable { return .findCoordinator(after: backoff()) }
        return fail(error)
    }

    mutating func joinCompleted(_ r: JoinGroupRequest.Response) -> Action {
        guard case .joining(let current) = state else { return .none }
        switch r.errorCode {
        case 0:
            consecutiveErrors = 0
            state = .syncing(memberID: r.memberID, generation: r.generationID)
            if r.leader == r.memberID {
                let strategy = KafkaAssignmentStrategy(rawValue: r.protocolName) ?? .range
                return .syncAsLeader(memberID: r.memberID, generation: r.generationID, strategy: strategy, members: r.members)
            }
            return .syncAsFollower(memberID: r.memberID, generation: r.generationID)
        case KafkaError.Code.memberIdRequired.protocolCode!:
            state = .joining(memberID: r.memberID)
            return .join(memberID: r.memberID, after: .zero)
        case KafkaError.Code.unknownMemberId.protocolCode!:
            state = .joining(memberID: "")
            return .join(memberID: "", after: backoff())
        default:
            return retryOrFail(KafkaError(.init(protocolCode: r.errorCode), detail: "JoinGroup"), memberID: current)
        }
    }

    mutating func syncCompleted(errorCode: Int16, assignment: [TopicPartition]) -> Action {
        guard case .syncing(let m, let g) = state else { return .none }
        switch errorCode {
        case 0:
            consecutiveErrors = 0
            state = .stable(memberID: m, generation: g, assignment: assignment)
            return .assign(assignment, memberID: m, generation: g)
        case KafkaError.Code.unknownMemberId.protocolCode!:
            state = .joining(memberID: "")
            return .join(memberID: "", after: .zero)
        default:
            return retryOrFail(KafkaError(.init(protocolCode: errorCode), detail: "SyncGroup"), memberID: m)
        }
    }

    /// A JoinGroup or SyncGroup that failed in transport (connection lost, timeout).
    mutating func requestFailed(_ error: KafkaError) -> Action {
        switch state {
        case .joining(let m), .syncing(let m, _):
            return retryOrFail(error, memberID: m)
        case .stable(let m, _, let a):
            if error.isRetriable {
                state = .findingCoordinator(memberID: m)
                return .revoke(a, then: .findCoordinator(after: backoff()))
            }
            return fail(error)
        default:
            return .none
        }
    }

    /// The assigned partitions are being fetched (at `now`): heartbeats are due from here on.
    mutating func assignmentStarted(at now: Instant) -> Action {
        guard case .stable = state else { return .none }
        nextHeartbeat = now + heartbeatInterval
        return .none
    }

    /// Nothing is in flight: what is due at `now`. In a stable group that is a heartbeat, an
    /// auto-commit or a wait for the earlier of the two. Outside one every transition names its
    /// next step, so this is not expected; it picks membership up again rather than idle.
    mutating func idle(at now: Instant) -> Action {
        switch state {
        case .stable(let m, let g, _):
            let heartbeatDue = nextHeartbeat ?? now
            if now >= heartbeatDue {
                nextHeartbeat = now + heartbeatInterval
                return .heartbeat(memberID: m, generation: g)
            }
            if let commitDue = nextCommit, let interval = autoCommitInterval, now >= commitDue {
                nextCommit = now + interval
                return .commit(memberID: m, generation: g)
            }
            return .wait(until: min(heartbeatDue, nextCommit ?? heartbeatDue))
        case .findingCoordinator:
            return .findCoordinator(after: Self.idleRetry)
        case .joining(let m):
            return .join(memberID: m, after: Self.idleRetry)
        default:
            return .wait(until: now + Self.idleRetry)
        }
    }

    /// Outcome of a Heartbeat or OffsetCommit (both report group changes the same way).
    mutating func groupResponse(errorCode: Int16, generation: Int32) -> Action {
        guard case .stable(let m, let g, let a) = state, g == generation else { return .none }
        switch errorCode {
        case 0:
            return .none
        case KafkaError.Code.rebalanceInProgress.protocolCode!, KafkaError.Code.illegalGeneration.protocolCode!:
            state = .joining(memberID: m)
            return .revoke(a, then: .join(memberID: m, after: .zero))
        case KafkaError.Code.unknownMemberId.protocolCode!, KafkaError.Code.fencedInstanceId.protocolCode!:
            state = .joining(memberID: "")
            return .revoke(a, then: .join(memberID: "", after: .zero))
        case KafkaError.Code.notCoordinator.protocolCode!, KafkaError.Code.coordinatorNotAvailable.protocolCode!:
            state = .findingCoordinator(memberID: m)
            return .revoke(a, then: .findCoordinator(after: backoff()))
        default:
            let error = KafkaError(.init(protocolCode: errorCode))
            return error.isRetriable ? .none : fail(error)
        }
    }

    /// Whether records fetched under `generation` may be delivered: not after a rebalance began.
    func mayDeliver(fetchedIn generation: Int32) -> Bool {
        if case .stable(_, let g, _) = state { return g == generation }
        return false
    }

    mutating func shutdown() -> Action {
        switch state {
        case .stable(let m, _, let a):
            state = .leaving(memberID: m)
            return .leave(memberID: m, revoking: a)
        case .joining(let m), .syncing(let m, _), .findingCoordinator(let m):
            if m.isEmpty {
                state = .left
                return .finished
            }
            state = .leaving(memberID: m)
            return .leave(memberID: m, revoking: [])
        case .idle:
            state = .left
            return .finished
        case .leaving, .left, .failed:
            return .none
        }
    }

    mutating func leaveCompleted() -> Action {
        guard case .leaving = state else { return .none }
        state = .left
        return .finished
    }

    // MARK: Helpers

    private mutating func retryOrFail(_ error: KafkaError, memberID: String) -> Action {
        switch error.code {
        case .notCoordinator, .coordinatorNotAvailable, .coordinatorLoadInProgress:
            state = .findingCoordinator(memberID: memberID)
            return .findCoordinator(after: backoff())
        case .rebalanceInProgress, .illegalGeneration:
            state = .joining(memberID: memberID)
            return .join(memberID: memberID, after: .zero)
        case .connectionClosed, .connectionFailed, .requestTimedOut, .noBrokersAvailable:
            state = .findingCoordinator(memberID: memberID)
            return .findCoordinator(after: backoff())
        default:
            if error.isRetriable {
                state = .joining(memberID: memberID)
                return .join(memberID: memberID, after: backoff())
            }
            return fail(error)
        }
    }

    private mutating func fail(_ error: KafkaError) -> Action {
        state = .failed(error)
        return .fail(error)
    }
}
