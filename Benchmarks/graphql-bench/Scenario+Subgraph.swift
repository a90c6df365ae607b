import Catalog
import EmporiumCore
import GraphQL
import GraphQLSupport

/// Scenarios that call the catalog subgraph's endpoint directly: the engine's cost (parse and
/// validate from the document cache, plan, resolve, serialize) without the gateway.
extension Scenario {
    /// The benchmark query of scripts/bench-catalog: one product by slug, with its category
    /// (a batch resolver through a DataLoader). The commonest read of a shop; rotates over all
    /// 1,000 slugs.
    static func subgraphBySlug(_ node: InProcessNode, _ dataset: BenchmarkDataset) -> Scenario {
        bySlug(name: "subgraph-by-slug", summary: "catalog: productBySlug, 1 product with its category", node.catalog.endpoint, dataset)
    }

    /// The same request as ``subgraphBySlug(_:_:)`` against `executor` (the subgraph, or the gateway).
    static func bySlug(name: String, summary: String, _ executor: any GraphQLExecutor, _ dataset: BenchmarkDataset) -> Scenario {
        let query = "query($s: String!) { productBySlug(slug: $s) { id title slug price { amount currency } category { name } } }"
        let products = dataset.products
        return Scenario(
            name: name, summary: summary, executor: executor,
            requests: products.map { GraphQLSupport.GraphQLRequest(query: query, variables: ["s": .string($0.slug.rawValue)]) },
            check: { index, answer in
                let product = products[index]
                let expected: Map = ["productBySlug": [
                    "id": .string(product.id.description), "title": .string(product.title), "slug": .string(product.slug.rawValue),
                    "price": ["amount": .int(Int(product.price.amount)), "currency": .string(product.price.currency.code)],
                    "category": ["name": .string(dataset.category(product.categoryID)!.name)],
                ]]
                try AnswerMismatch.expect(answer.data ?? .null, expected, "productBySlug(\(product.slug))")
            })
    }

    /// A storefront's first page: 20 products with price, formatted price, category and
    /// attributes, and the page info. Twenty objects of six types per answer: what the engine
    /// spends per field and per list item shows here.
    static func subgraphPage(_ node: InProcessNode, _ dataset: BenchmarkDataset) -> Scenario {
        let query = """
            query($first: Int) { products(first: $first) { edges { node { id title slug price { amount currency formatted } \
            category { name } attributes { key value } } } pageInfo { hasNextPage endCursor } } }
            """
        let expectedEdges: Map = .array(dataset.products.prefix(20).map { product in
            ["node": [
                "id": .string(product.id.description), "title": .string(product.title), "slug": .string(product.slug.rawValue),
                "price": [
                    "amount": .int(Int(product.price.amount)), "currency": .string(product.price.currency.code),
                    "formatted": .string(product.price.description),
                ],
                "category": ["name": .string(dataset.category(product.categoryID)!.name)],
                "attributes": .array(product.attributes.map { ["key": .string($0.key), "value": .string($0.value)] }),
            ]]
        })
        return Scenario(
            name: "subgraph-page", summary: "catalog: products(first: 20) with category, attributes, pageInfo",
            executor: node.catalog.endpoint, requests: [GraphQLSupport.GraphQLRequest(query: query, variables: ["first": 20])],
            check: { _, answer in
                let connection = answer.data?["products"] ?? .null
                try AnswerMismatch.expect(connection["edges"], expectedEdges, "products(first: 20).edges")
                try AnswerMismatch.expect(connection["pageInfo"]["hasNextPage"], true, "pageInfo.hasNextPage")
                guard let cursor = connection["pageInfo"]["endCursor"].string, !cursor.isEmpty else {
                    throw AnswerMismatch("pageInfo.endCursor: expected a cursor, got \(connection["pageInfo"]["endCursor"])")
                }
            })
    }

    /// What the gateway sends the catalog when another subgraph's list needs catalog fields:
    /// `_entities` for 20 Product representations. Rotates over 50 disjoint batches.
    static func subgraphEntities(_ node: InProcessNode, _ dataset: BenchmarkDataset) -> Scenario {
        let query = "query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { id title price { amount } } } }"
        let batches = stride(from: 0, to: dataset.products.count - 19, by: 20).map { Array(dataset.products[$0..<$0 + 20]) }
        return Scenario(
            name: "subgraph-entities", summary: "catalog: _entities for 20 Product representations (a gateway's entity fetch)",
            executor: node.catalog.endpoint,
            requests: batches.map { batch in
                GraphQLSupport.GraphQLRequest(query: query, variables: [
                    "representations": .array(batch.map { ["__typename": "Product", "id": .string($0.id.description)] }),
                ])
            },
            check: { index, answer in
                let expected: Map = ["_entities": .array(batches[index].map { product in
                    ["id": .string(product.id.description), "title": .string(product.title), "price": ["amount": .int(Int(product.price.amount))]]
                })]
                try AnswerMismatch.expect(answer.data ?? .null, expected, "_entities (batch \(index))")
            })
    }
}
