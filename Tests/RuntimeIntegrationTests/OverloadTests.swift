import Foundation
import GraphQL
import GraphQLSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOFoundationEssentialsCompat
import Runtime
import Synchronization
import Testing

/// The public endpoint under overload answers 503 with `Retry-After` and a GraphQL error with a
/// code, at once, and runs nothing for it.
@Suite struct OverloadTests {
    /// Answers its first operation after `delay` (to teach the gate what an operation takes),
    /// the others when released; counts what it ran.
    final class SlowExecutor: GraphQLExecutor {
        let delay: Duration
        let ran = Counter()
        private let (released, release) = AsyncStream<Void>.makeStream()
        init(delay: Duration) { self.delay = delay }
        func execute(_ request: GraphQLSupport.GraphQLRequest, info: GraphQLRequestInfo) async -> GraphQLOutcome {
            if ran.value == 0 {
                try? await Task.sleep(for: delay)
            } else {
                for await _ in released { break }
            }
            ran.increment()
            return GraphQLOutcome(kind: .executed, result: GraphQLResult(data: ["ok": true]))
        }
        func releaseOne() { release.yield() }
    }

    final class Counter: Sendable {
        private let count = Synchronization.Mutex(0)
        func increment() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test func aRequestThatWouldWaitTooLongIsRefusedWithRetryAfter() async throws {
        let logger = Logger(label: "test.overload")
        let executor = SlowExecutor(delay: .milliseconds(300))
        let gate = OverloadGate(.init(limit: 1, maximumWait: .milliseconds(50)), logger: logger)
        let router = Router()
        GraphQLHTTP(executor: executor, tokens: nil, gate: gate, logger: logger).addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            let body = ByteBuffer(string: #"{"query":"{ ok }"}"#)
            let headers: HTTPFields = [.contentType: "application/json", .accept: GraphQLHTTP.graphQLResponseMediaType]
            // The first teaches the gate that an operation takes 300 ms.
            #expect(try await client.execute(uri: "/graphql", method: .post, headers: headers, body: body).status == .ok)
            // The second holds the only slot until released.
            async let held = client.execute(uri: "/graphql", method: .post, headers: headers, body: body)
            for _ in 0..<5_000 where gate.load.running == 0 { try await Task.sleep(for: .milliseconds(1)) }
            #expect(gate.load.running == 1)
            // The third would wait about 300 ms, more than the 50 allowed: refused, not queued.
            let refused = try await client.execute(uri: "/graphql", method: .post, headers: headers, body: body)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] == "1")
            let errors = (try JSONSerialization.jsonObject(with: Data(buffer: refused.body)) as? [String: Any])?["errors"] as? [[String: Any]]
            #expect((errors?.first?["extensions"] as? [String: Any])?["code"] as? String == "SERVICE_UNAVAILABLE")
            #expect(executor.ran.value == 1, "answered while the slot was still held")
            executor.releaseOne()
            #expect(try await held.status == .ok)
            #expect(executor.ran.value == 2, "the refused request ran nothing")
            #expect(gate.refusedCount == 1)
        }
    }
}
