import DequeModule
import Logging
import Synchronization

/// Admission at the public endpoint when the node is overloaded: at most `limit` operations
/// execute at once; the rest wait in line, writes ahead of reads, and a request that would wait
/// longer than `maximumWait` is refused at once (503 `SERVICE_UNAVAILABLE` with `Retry-After`)
/// instead of queueing until every request times out.
///
/// Without it, a flood of cheap reads (a client polling every 5 ms) piled up behind the database
/// pool until the gateway's 10 s subgraph timeout: 910 of 1,000 checkouts failed at 50/s, and the
/// ones answered had waited seconds (docs/BENCHMARKS.md, #18). With it, the node keeps answering
/// what it can in time, checkouts first, and tells the rest when to come back.
///
/// The wait is estimated from the line ahead and the recent time an operation takes
/// (`ahead × service time / limit`), so a refusal costs no waiting; a request that waited past
/// `maximumWait` anyway (a slow spell) is refused when its turn comes rather than run late.
public final class OverloadGate: Sendable {
    public enum Priority: Sendable {
        /// Mutations: a refused checkout is a lost sale, a refused poll a retry.
        case write
        case read
    }

    public struct Configuration: Sendable, Equatable {
        /// Operations executing at once.
        public var limit: Int
        /// The longest a request may wait for its turn.
        public var maximumWait: Duration
        /// Requests waiting at most, whatever the estimate (the line's memory).
        public var maximumWaiting: Int

        public init(limit: Int, maximumWait: Duration = .seconds(1), maximumWaiting: Int? = nil) {
            self.limit = max(1, limit)
            self.maximumWait = maximumWait
            self.maximumWaiting = max(1, maximumWaiting ?? self.limit * 8)
        }
    }

    private struct Waiter {
        let id: UInt64
        let since: ContinuousClock.Instant
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var running = 0
        var writes = Deque<Waiter>()
        var reads = Deque<Waiter>()
        var nextID: UInt64 = 0
        /// Moving average of an admitted operation's time, in seconds; 0 until one finished.
        var serviceSeconds = 0.0
        var refused = 0
        /// Refusals not yet in a log line, and when the last line was written.
        var unreported = 0
        var reported: ContinuousClock.Instant?
    }

    /// A node's default limit: half its database pool. Requests share the pool with the event
    /// flow (relay, consumers) that moves orders on; measured under a polling flood (#18, 5 ms
    /// polls at 50 checkouts/s offered): with twice the pool admitted, requests held every
    /// connection, the event flow stalled, and 901 of 1,000 checkouts failed; with 12 admitted,
    /// 62 failed.
    public static func defaultLimit(databasePool: Int) -> Int { max(2, databasePool / 2) }

    public let configuration: Configuration
    private let state = Mutex(State())
    private let logger: Logger

    /// At most one log line per this interval, however many requests are refused.
    static let reportInterval = Duration.seconds(10)

    public init(_ configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Requests refused so far.
    public var refusedCount: Int { state.withLock { $0.refused } }

    /// Operations executing now, and waiting.
    public var load: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.writes.count + $0.reads.count) } }

    /// Runs `operation` when its turn comes; nil, without running it, when the node is too busy.
    public func run<Result: Sendable>(_ priority: Priority, _ operation: () async -> Result) async -> Result? {
        guard await enter(priority) else { return nil }
        let started = ContinuousClock.now
        let result = await operation()
        leave(took: ContinuousClock.now - started)
        return result
    }

    /// Whether the request may run now (true: call `leave` when it is done).
    func enter(_ priority: Priority) async -> Bool {
        let now = ContinuousClock.now
        enum Decision { case run, refuse, wait(UInt64) }
        let decision = state.withLock { state -> Decision in
            let waiting = state.writes.count + state.reads.count
            if state.running < configuration.limit, waiting == 0 {
                state.running += 1
                return .run
            }
            let ahead = priority == .write ? state.writes.count : waiting
            let estimate = Double(ahead + 1) * state.serviceSeconds / Double(configuration.limit)
            if waiting >= configuration.maximumWaiting || estimate > Self.seconds(configuration.maximumWait) {
                state.refused += 1
                state.unreported += 1
                return .refuse
            }
            state.nextID += 1
            return .wait(state.nextID)
        }
        switch decision {
        case .run: return true
        case .refuse:
            report(now)
            return false
        case .wait(let id):
            return await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let resumeNow: Bool? = state.withLock { state in
                        // Cancelled before it was queued: not queued at all.
                        if Task.isCancelled { return false }
                        // A slot freed while this request was deciding.
                        if state.running < configuration.limit, state.writes.isEmpty, state.reads.isEmpty {
                            state.running += 1
                            return true
                        }
                        let waiter = Waiter(id: id, since: now, continuation: continuation)
                        if priority == .write { state.writes.append(waiter) } else { state.reads.append(waiter) }
                        return nil
                    }
                    if let resumeNow { continuation.resume(returning: resumeNow) }
                }
            } onCancel: {
                let waiter = state.withLock { state -> Waiter? in
                    if let index = state.writes.firstIndex(where: { $0.id == id }) { return state.writes.remove(at: index) }
                    if let index = state.reads.firstIndex(where: { $0.id == id }) { return state.reads.remove(at: index) }
                    return nil
                }
                waiter?.continuation.resume(returning: false)
            }
        }
    }

    /// An admitted operation finished after `took`: its slot goes to the next in line, writes
    /// first; whoever waited past `maximumWait` is refused on the way.
    func leave(took: Duration) {
        let now = ContinuousClock.now
        var refused: [Waiter] = []
        let next = state.withLock { state -> Waiter? in
            let seconds = Self.seconds(took)
            state.serviceSeconds = state.serviceSeconds == 0 ? seconds : state.serviceSeconds * 0.9 + seconds * 0.1
            while let waiter = state.writes.popFirst() ?? state.reads.popFirst() {
                if now - waiter.since > configuration.maximumWait {
                    refused.append(waiter)
                    state.refused += 1
                    state.unreported += 1
                    continue
                }
                return waiter
            }
            state.running -= 1
            return nil
        }
        for waiter in refused { waiter.continuation.resume(returning: false) }
        if !refused.isEmpty { report(now) }
        // The slot passes straight to the next request: `running` stays as it is.
        next?.continuation.resume(returning: true)
    }

    /// Tells the operator, at most once per `reportInterval`, what was refused and what to do.
    private func report(_ now: ContinuousClock.Instant) {
        let due = state.withLock { state -> (count: Int, running: Int, waiting: Int)? in
            if let last = state.reported, now - last < Self.reportInterval { return nil }
            defer { state.unreported = 0; state.reported = now }
            return (state.unreported, state.running, state.writes.count + state.reads.count)
        }
        guard let due else { return }
        logger.warning("overloaded: refused \(due.count) requests with 503 since the last report (\(due.running) operations running, \(due.waiting) waiting, limit \(configuration.limit), longest wait \(configuration.maximumWait)); raise EMPORIUM_MAX_IN_FLIGHT if the database and CPU have room, else add nodes")
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
