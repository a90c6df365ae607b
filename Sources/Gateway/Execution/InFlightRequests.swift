import Foundation
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

/// Races `operation` against a deadline; the loser is cancelled.
func withTimeout<T: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw SubgraphTimedOut()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw SubgraphTimedOut() }
        return first
    }
}
