import EmporiumCore
import Foundation
import GraphQL
import GraphQLExecution
import GraphQLSupport
import Identity
import Logging
import NIOCore
import OrderedCollections
@testable import Realtime
import Synchronization
import Testing

/// Events resolved together answer each subscriber exactly what its own request would have.
@Suite struct LiveBatchTests {
    struct Context: Sendable {}

    struct Product: Sendable, GraphQLObject {
        let id: String
    }

    struct Broken: Error, CustomStringConvertible { var description: String { "no code for this product" } }

    /// `product(id:)`: "missing-…" is null; "broken-…" fails on its non-null `code`, which nulls
    /// the product and reports an error at its path.
    static func catalog() throws -> SchemaEndpoint<Context> {
        var resolvers = SchemaResolvers<Context>()
        resolvers.object("Product", Product.self) { type in
            type.field("id") { $0.id }
            type.field("title") { "Product \($0.id)" }
            type.field("code") { product -> String in
                if product.id.hasPrefix("broken") { throw EmporiumError.badInput("no code for \(product.id)") }
                return "C-\(product.id)"
            }
            type.field("price", resolve: { product, arguments, _ in "\(product.id.count) \(arguments.string("currency") ?? "RUB")" })
        }
        resolvers.query { query in
            query.field("product", async: { _, arguments, _ in
                arguments.string("id").flatMap { $0.hasPrefix("missing") ? nil : Product(id: $0) }
            })
        }
        let sdl = "type Product { id: ID! title: String! code: String! price(currency: String): String! } type Query { product(id: ID!): Product }"
        return SchemaEndpoint(schema: try ExecutableSchema(sdl: sdl, resolvers: resolvers), logger: Logger(label: "test")) { _ in Context() }
    }

    static let subscription = """
        subscription Watch($p: ID!, $currency: String) { changed: productChanged(id: $p) { ...Fields price(currency: $currency) } }
        fragment Fields on Product { id title code }
        """

    static func plan() throws -> LivePlan {
        let payload = ClientMessage.SubscribePayload(
            query: subscription, variables: ["p": "7f1c4c2e-3b6a-4c59-9a58-2d1f0a7e6b11", "currency": "EUR"])
        guard case .live(let plan) = try LivePlanner().plan(payload, principal: nil) else { throw PlanningRefusal("not live") }
        return plan
    }

    /// The JSON with each error's `locations` left out: they point into the server's own query,
    /// which differs between a batch and a single request.
    static func comparable(_ answer: ByteBuffer) throws -> Map {
        guard case .dictionary(var body) = try JSONMap.parse(Data(answer.readableBytesView)) else { return .null }
        if case .array(let errors)? = body["errors"] {
            body["errors"] = .array(errors.map { error in
                guard case .dictionary(var fields) = error else { return error }
                fields["locations"] = nil
                return .dictionary(fields)
            })
        }
        return .dictionary(body)
    }

    @Test func aBatchAnswersEachIdAsItsOwnRequestWould() async throws {
        let catalog = try Self.catalog()
        let plan = try Self.plan()
        let ids = ["a1", "missing-1", "broken-1", "a22", "broken-2"]
        let outcome = await catalog.execute(plan.batchRequest(for: ids), info: GraphQLRequestInfo(principal: nil))
        let split = try #require(plan.split(outcome, count: ids.count))
        #expect(split.count == ids.count)
        for (id, result) in zip(ids, split) {
            let alone = await catalog.execute(plan.request(for: id), info: GraphQLRequestInfo(principal: nil))
            let batched = LiveResolver.encode(GraphQLOutcome(kind: .executed, result: result))
            #expect(try Self.comparable(batched) == Self.comparable(LiveResolver.encode(alone)), "\(id)")
        }
        // The answers are not trivially alike: data, null, and an error at the field's path.
        #expect(String(buffer: LiveResolver.encode(GraphQLOutcome(kind: .executed, result: split[0]))).contains(#""price":"2 EUR""#))
        #expect(split[1].data == ["changed": .null] && split[1].errors.isEmpty)
        #expect(split[2].errors.map(\.path.elements) == [[.key("changed"), .key("code")]])
        #expect(split[2].errors.first?.message == "no code for broken-1")
    }

    @Test func anAnswerThatCannotBeSplitByIdIsRefused() throws {
        let plan = try Self.plan()
        let refused = GraphQLOutcome(kind: .requestError, result: GraphQLResult(errors: [GraphQLError(message: "too many aliases")]))
        #expect(plan.split(refused, count: 2) == nil)
        let nulled = GraphQLOutcome(kind: .executed, result: GraphQLResult(data: .null, errors: [GraphQLError(message: "x")]))
        #expect(plan.split(nulled, count: 2) == nil)
        // A subgraph that failed as a whole names no one id.
        let unattributed = GraphQLOutcome(
            kind: .executed, result: GraphQLResult(data: ["emporiumLive0": .null, "emporiumLive1": .null], errors: [GraphQLError(message: "catalog is down")]))
        #expect(plan.split(unattributed, count: 2) == nil)
        let foreignIndex = GraphQLOutcome(
            kind: .executed, result: GraphQLResult(data: ["emporiumLive0": .null], errors: [GraphQLError(message: "x", path: ["emporiumLive7"])]))
        #expect(plan.split(foreignIndex, count: 2) == nil)
    }

    /// Holds the first request until released; counts every request and its ids.
    final class GatedExecutor: Sendable {
        let inner: SchemaEndpoint<Context>
        let requests = Mutex<[(query: String, ids: Int)]>([])
        let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let held = Mutex(false)

        init(_ inner: SchemaEndpoint<Context>) { self.inner = inner }

        func execute(_ request: GraphQLSupport.GraphQLRequest) async -> GraphQLOutcome {
            let isFirst = requests.withLock { requests in
                requests.append((request.query, request.variables.keys.filter { $0.hasPrefix(LivePlan.idVariable) }.count))
                return requests.count == 1
            }
            if isFirst {
                await withCheckedContinuation { continuation in
                    gate.withLock { $0 = continuation }
                    held.withLock { $0 = true }
                }
            }
            return await inner.execute(request, info: GraphQLRequestInfo(principal: nil))
        }

        func release() { gate.withLock { $0?.resume(); $0 = nil } }
    }

    /// A resolver over the catalog whose first request ("a1") is held until `executor.release()`.
    struct HeldFirst {
        let catalog: SchemaEndpoint<Context>
        let plan: LivePlan
        let executor: GatedExecutor
        let resolver: LiveResolver
        let first: Task<ByteBuffer, Never>

        init(maximumInFlight: Int) async throws {
            catalog = try LiveBatchTests.catalog()
            let plan = try LiveBatchTests.plan()
            let executor = GatedExecutor(catalog)
            let resolver = LiveResolver(metrics: RealtimeMetrics(), maximumBatch: 4, maximumInFlight: maximumInFlight) { request, _, _ in
                await executor.execute(request)
            }
            first = Task { await resolver.resolve(plan, id: "a1", visibility: .anonymous, as: nil) }
            for _ in 0..<500 where !executor.held.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            (self.plan, self.executor, self.resolver) = (plan, executor, resolver)
        }
    }

    @Test func eventsArrivingDuringARequestGoTogetherInTheNext() async throws {
        let held = try await HeldFirst(maximumInFlight: 1)
        let (catalog, plan, executor, resolver) = (held.catalog, held.plan, held.executor, held.resolver)
        // Six events meanwhile, one id twice: four events (three ids) in one batch, then the rest.
        let later = ["b1", "missing-2", "b1", "broken-3", "c1", "d1"]
        var waiting: [Task<ByteBuffer, Never>] = []
        for (index, id) in later.enumerated() {
            waiting.append(Task { await resolver.resolve(plan, id: id, visibility: .anonymous, as: nil) })
            // One at a time, so the queue's order is the list's.
            for _ in 0..<500 where resolver.waitingCount <= index { try await Task.sleep(for: .milliseconds(2)) }
        }
        #expect(resolver.waitingCount == later.count)
        executor.release()
        let firstAnswer = await held.first.value
        var laterAnswers: [ByteBuffer?] = []
        for task in waiting { laterAnswers.append(await task.value) }
        let requests = executor.requests.withLock { $0 }
        #expect(requests.map(\.ids) == [1, 3, 2])
        #expect(requests[1].query.hasPrefix("query LiveBatch("))
        let alone = await catalog.execute(plan.request(for: "a1"), info: GraphQLRequestInfo(principal: nil))
        #expect(try Self.comparable(firstAnswer) == Self.comparable(LiveResolver.encode(alone)))
        for (id, answer) in zip(later, laterAnswers) {
            let answer = try #require(answer)
            let alone = await catalog.execute(plan.request(for: id), info: GraphQLRequestInfo(principal: nil))
            #expect(try Self.comparable(answer) == Self.comparable(LiveResolver.encode(alone)), "\(id)")
        }
        #expect(resolver.waitingCount == 0)
    }

    @Test func aSlowRequestDoesNotHoldUpTheNextWhileSlotsAreFree() async throws {
        let held = try await HeldFirst(maximumInFlight: 2)
        let (plan, executor, resolver) = (held.plan, held.executor, held.resolver)
        // The first request is held; the second slot answers at once.
        let second = await resolver.resolve(plan, id: "b2", visibility: .anonymous, as: nil)
        #expect(String(buffer: second).contains("b2"))
        #expect(executor.requests.withLock { $0.count } == 2)
        executor.release()
        #expect(String(buffer: await held.first.value).contains("a1"))
        #expect(resolver.waitingCount == 0)
    }
}
