import Catalog
import EmporiumCore
import GraphQL
import GraphQLSupport
import Inventory

/// Scenarios through the federation gateway calling the subgraphs in process (the single node's
/// composed `/graphql`): the gateway's stages (prepare, plan from the cache, coerce, measure,
/// fetch, merge, shape) on top of the subgraphs' own cost, which the subgraph scenarios show.
extension Scenario {
    /// The subgraph's productBySlug request through the gateway: one catalog fetch. Its time minus
    /// `subgraph-by-slug`'s is what the gateway adds to the simplest read.
    static func gatewayBySlug(_ node: InProcessNode, _ dataset: BenchmarkDataset) -> Scenario {
        bySlug(name: "gateway-by-slug", summary: "gateway: the same productBySlug (1 catalog fetch)", node.gateway, dataset)
    }

    /// The read of scripts/bench-gateway (gateway-bench's `throughGateway`): a seller's 20
    /// products with catalog fields and their stock from inventory — a catalog fetch, then one
    /// `_entities` fetch for all 20 — merged. Rotates over the 50 sellers. Anonymous, so `onHand`
    /// (seller and admins only) is null, as in the HTTP benchmark.
    static func gatewayPageWithStock(_ node: InProcessNode, _ dataset: BenchmarkDataset) -> Scenario {
        let query = "query($s: ID!) { products(first: 20, filter: { sellerId: $s }) { edges { node { id title price { amount currency } stock { available onHand } inStock } } } }"
        let sellers = dataset.sellers
        return Scenario(
            name: "gateway-page-stock", summary: "gateway: a seller's 20 products with stock (catalog + inventory _entities)",
            executor: node.gateway,
            requests: sellers.map { GraphQLSupport.GraphQLRequest(query: query, variables: ["s": .string($0.rawValue)]) },
            check: { index, answer in
                let products = dataset.products(of: sellers[index]).prefix(20)
                let expected: Map = ["products": ["edges": .array(products.map { product in
                    let level = dataset.stock[product.id]!
                    return ["node": [
                        "id": .string(product.id.description), "title": .string(product.title),
                        "price": ["amount": .int(Int(product.price.amount)), "currency": .string(product.price.currency.code)],
                        "stock": ["available": .int(level.available), "onHand": .null],
                        "inStock": .bool(level.isInStock),
                    ]]
                })]]
                guard products.count == 20 else { throw AnswerMismatch("seller \(sellers[index]) has \(products.count) products, not 20") }
                try AnswerMismatch.expect(answer.data ?? .null, expected, "products(filter: { sellerId: \(sellers[index]) })")
            })
    }
}
