import CoreMetrics
import GraphQLSupport
import Identity
import NIOCore
import Synchronization

/// Resolves events, batching those that arrive while requests for the same plan and visibility
/// class are already under way: an event is asked for at once while fewer than
/// `maximumInFlight` requests of its key run; later ones wait for one to finish and then go
/// together in one request (at most `maximumBatch` ids). An idle node adds no delay; a busy one
/// makes fewer, larger requests instead of queueing one per event — the cost per event falls as
/// the load rises, and several requests in flight keep one slow answer from holding up the rest.
final class LiveResolver: Sendable {
    /// By plan object, as the hub groups subscribers: a queued key's plan is held by the task
    /// draining it, so its identity cannot be reused meanwhile.
    struct Key: Hashable {
        let plan: ObjectIdentifier
        let visibility: LiveHub.Visibility
    }

    private struct Waiter {
        let id: String
        let continuation: CheckedContinuation<ByteBuffer, Never>
    }

    /// A key with requests under way, and the events waiting for one to finish.
    private struct Queue {
        var running = 0
        var waiting: [Waiter] = []
    }

    /// Keys with requests under way.
    private let queues = Mutex<[Key: Queue]>([:])
    /// Runs a request as the principal; the flag tells a batch from a single event's request.
    typealias Execute = @Sendable (GraphQLSupport.GraphQLRequest, Principal?, _ isBatch: Bool) async -> GraphQLOutcome
    private let execute: Execute
    private let metrics: RealtimeMetrics
    let maximumBatch: Int
    let maximumInFlight: Int

    init(metrics: RealtimeMetrics, maximumBatch: Int, maximumInFlight: Int, execute: @escaping Execute) {
        self.metrics = metrics
        self.maximumBatch = max(1, maximumBatch)
        self.maximumInFlight = max(1, maximumInFlight)
        self.execute = execute
    }

    /// Events waiting for a request under way (all keys).
    var waitingCount: Int { queues.withLock { $0.values.reduce(0) { $0 + $1.waiting.count } } }

    /// The answer to the event about `id` for readers of `visibility` (resolved as `principal`).
    func resolve(_ plan: LivePlan, id: String, visibility: LiveHub.Visibility, as principal: Principal?) async -> ByteBuffer {
        let key = Key(plan: ObjectIdentifier(plan), visibility: visibility)
        return await withCheckedContinuation { continuation in
            let waiter = Waiter(id: id, continuation: continuation)
            let leads = queues.withLock { queues in
                var queue = queues[key] ?? Queue()
                defer { queues[key] = queue }
                guard queue.running < maximumInFlight else {
                    queue.waiting.append(waiter)
                    return false
                }
                queue.running += 1
                return true
            }
            guard leads else { return }
            // A free slot: this event's request starts now, and the task keeps draining the
            // key's queue until nothing waits.
            Task { await self.drain(key, plan: plan, principal: principal, first: [waiter]) }
        }
    }

    private func drain(_ key: Key, plan: LivePlan, principal: Principal?, first: [Waiter]) async {
        var batch = first
        while !batch.isEmpty {
            await answer(batch, plan: plan, principal: principal)
            batch = queues.withLock { queues in
                guard var queue = queues[key] else { return [] }
                let taken = Array(queue.waiting.prefix(maximumBatch))
                queue.waiting.removeFirst(taken.count)
                if taken.isEmpty { queue.running -= 1 }
                queues[key] = queue.running == 0 ? nil : queue
                return taken
            }
        }
    }

    private func answer(_ waiters: [Waiter], plan: LivePlan, principal: Principal?) async {
        // One answer per distinct id: an entity changed twice meanwhile is read once, as it is now.
        var ids: [String] = []
        var indexOf: [String: Int] = [:]
        let positions = waiters.map { waiter in
            if let known = indexOf[waiter.id] { return known }
            indexOf[waiter.id] = ids.count
            ids.append(waiter.id)
            return ids.count - 1
        }
        let answers = await resolve(ids, plan: plan, principal: principal)
        for (waiter, position) in zip(waiters, positions) { waiter.continuation.resume(returning: answers[position]) }
    }

    private func resolve(_ ids: [String], plan: LivePlan, principal: Principal?) async -> [ByteBuffer] {
        if ids.count > 1 {
            metrics.resolutions.increment()
            let outcome = await execute(plan.batchRequest(for: ids), principal, true)
            if let results = plan.split(outcome, count: ids.count) {
                return results.map { Self.encode(GraphQLOutcome(kind: .executed, result: $0)) }
            }
        }
        // One id, or a batch that did not run as a whole: each alone, as the gateway answers it.
        var answers: [ByteBuffer] = []
        for id in ids {
            metrics.resolutions.increment()
            answers.append(Self.encode(await execute(plan.request(for: id), principal, false)))
        }
        return answers
    }

    static func encode(_ outcome: GraphQLOutcome) -> ByteBuffer {
        var bytes: [UInt8] = []
        outcome.writeJSON(into: &bytes)
        return ByteBuffer(bytes: bytes)
    }
}
