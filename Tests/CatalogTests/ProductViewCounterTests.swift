@testable import Catalog
import Contracts
import GraphQL
import GraphQLSupport
import Logging
import Synchronization
import Testing

/// The edge's view counter: which reads count, how they are batched, and that it drops rather
/// than grows without bound.
@Suite struct ProductViewCounterTests {
    final class Sink: Sendable {
        let batches = Mutex<[ProductViewsCounted]>([])
        func publish(_ envelopes: [EventEnvelope]) throws {
            let events = try envelopes.map { try $0.decode(ProductViewsCounted.self) }
            batches.withLock { $0 += events }
        }
        var views: [String: Int] {
            batches.withLock { batches in
                var all: [String: Int] = [:]
                for view in batches.flatMap(\.views) { all[view.productId.map { "id:" + $0 } ?? "slug:" + (view.slug ?? ""), default: 0] += view.count }
                return all
            }
        }
    }

    func counter(_ sink: Sink, maximumKeys: Int = 100) -> ProductViewCounter {
        ProductViewCounter(maximumKeys: maximumKeys, logger: Logger(label: "test")) { try sink.publish($0) }
    }

    @Test func rootReadsByIdOrSlugCountInlineOrThroughVariables() async {
        let sink = Sink()
        let views = counter(sink)
        views.answered(GraphQLRequest(query: #"{ product(id: "a") { title } again: product(id: "a") { id } }"#))
        views.answered(GraphQLRequest(query: "query($s: String!) { productBySlug(slug: $s) { title } }", variables: ["s": .string("kettle")]))
        views.answered(GraphQLRequest(query: "query($s: String!) { productBySlug(slug: $s) { title } }", variables: ["s": .string("kettle")]))
        views.answered(GraphQLRequest(query: "{ products(first: 5) { nodes { id } } }"))
        views.answered(GraphQLRequest(query: "mutation { product(id: \"m\") { id } }"))
        views.answered(GraphQLRequest(query: "{ product(id: "))  // does not parse: nothing
        views.answered(GraphQLRequest(query: "query($i: ID!) { product(id: $i) { id } }", variables: ["i": .int(5)]))
        await views.flush()
        #expect(sink.views == ["id:a": 2, "slug:kettle": 2])
        await views.flush()
        #expect(sink.batches.withLock { $0.count } == 1, "nothing new: nothing published")
    }

    @Test func beyondItsBoundNewProductsAreDroppedNotQueued() async {
        let sink = Sink()
        let views = counter(sink, maximumKeys: 2)
        for id in ["a", "b", "c", "a"] { views.answered(GraphQLRequest(query: "query($i: ID!) { product(id: $i) { id } }", variables: ["i": .string(id)])) }
        await views.flush()
        #expect(sink.views == ["id:a": 2, "id:b": 1])
    }
}
