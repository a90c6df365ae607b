import Foundation
import NIOCore
import NIOPosix
import Synchronization
import GraphQL
import GraphQLSupport
import HTTPTypes

/// Identical subgraph queries in flight at the same time share one request.
///
/// The shared work runs in its own `Task` rather than in the first caller's: if that caller is
/// cancelled (its client went away), the others still get their answer. The task lives only as
/// long as the subgraph request.
actor InFlightRequests {
    private var running: [String: Task<SubgraphResponse, any Error>] = [:]
    private(set) var sharedCount = 0

    func run(key: String, _ operation: @escaping @Sendable () async throws -> SubgraphResponse) async throws -> SubgraphResponse {
        if let task = running[key] {
            sharedCount += 1
            return try await task.value
        }
        // Not the caller's own task: see the type's comment (a cancelled first caller must not
        // fail the others). Awaited here, and gone when the request is.
        let task = Task { try await operation() }
        running[key] = task
        defer { running[key] = nil }
        return try await task.value
    }

    /// The identity of a request: everything that can change its answer. Its body (query,
    /// operation name, variables) as encoded for sending, when the caller already has it.
    static func key(for request: SubgraphRequest) -> String {
        let body = String(decoding: request.encodedBody ?? request.encodeBody(), as: UTF8.self)
        let headers = request.headers.map { "\($0.name.canonicalName)=\($0.value)" }.joined(separator: "\n")
        let principal = request.context?.principal.map { "\($0)" } ?? "-"
        return [request.subgraph, body, headers, principal].joined(separator: "\u{0}")
    }
}

struct SubgraphTimedOut: Error {}

/// Runs `operation` with a deadline: when it passes, the operation is cancelled and the call
/// throws `SubgraphTimedOut` once the operation has stopped (it stops at its next suspension
/// point that checks for cancellation — a database query, a subgraph's resolver).
///
/// The deadline is a timer on a NIO event loop and the operation one task: a task group racing
/// a `Task.sleep` cost three tasks and a dispatch timer per fetch, about a tenth of an in-process
/// fetch's CPU.
func withTimeout<T: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let task = Task { try await operation() }
    let expired = Deadline()
    let (seconds, attoseconds) = timeout.components
    let delay = seconds >= Int64.max / 1_000_000_000 ? Int64.max : max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .nanoseconds(delay)) {
        expired.pass()
        task.cancel()
    }
    defer { timer.cancel() }
    return try await withTaskCancellationHandler {
        let result = await task.result
        if expired.hasPassed { throw SubgraphTimedOut() }
        return try result.get()
    } onCancel: {
        task.cancel()
    }
}

/// Whether a deadline has passed; set once, from the timer's event loop.
private final class Deadline: Sendable {
    private let passed = Atomic(false)

    func pass() { passed.store(true, ordering: .releasing) }
    var hasPassed: Bool { passed.load(ordering: .acquiring) }
}
