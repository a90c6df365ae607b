import EmporiumCore
import EmporiumTesting
import Foundation
import GraphQL
@testable import Inventory
import Testing
import Synchronization

/// The subgraph's reads: stock by id, the Product entity, and batching.
@Suite struct InventoryGraphQLTests {
    static let entities = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id inStock stock { available onHand reserved lowStock warehouses { warehouse { code } available } } } } }"

    @Test func productsResolveThroughEntities() async throws {
        try await Harness.run { harness in
            let stocked = try await harness.createProduct(units: 7)
            let empty = try await harness.createProduct()
            let unknown = ProductID()
            let representations: Map = .array([stocked, empty, unknown].map { ["__typename": "Product", "id": .string($0.description)] })
            let result = await harness.graphQL(Self.entities, ["r": representations], as: TestUsers.admin)
            #expect(result.errors.isEmpty, "\(result.errors)")
            let products = result.data?["_entities"]
            #expect(products?[0]["id"].string == stocked.description)
            #expect(products?[0]["inStock"].bool == true)
            #expect(products?[0]["stock"]["available"].int == 7)
            #expect(products?[0]["stock"]["warehouses"][0]["warehouse"]["code"].string == "DEFAULT")
            #expect(products?[1]["inStock"].bool == false)
            #expect(products?[1]["stock"]["lowStock"].bool == true)
            // Unknown to inventory: zero stock, not an error.
            #expect(products?[2]["inStock"].bool == false)
            #expect(products?[2]["stock"]["available"].int == 0)
            #expect(products?[2]["stock"]["warehouses"].array?.isEmpty == true)

            let sdl = await harness.graphQL("{ _service { sdl } }")
            #expect(sdl.data?["_service"]["sdl"].string == InventorySchema.sdl)
        }
    }

    /// DataLoader: stock and inStock of 100 products cost one query (not 200).
    @Test func stockForManyProductsIsOneQuery() async throws {
        try await Harness.run { harness in
            var ids: [ProductID] = []
            for index in 0..<100 { ids.append(try await harness.createProduct(units: index % 3)) }
            harness.stockStore.levelQueries.withLock { $0 = 0 }
            let result = await harness.graphQL(Self.entities, ["r": .array(ids.map { ["__typename": "Product", "id": .string($0.description)] })])
            #expect(result.errors.isEmpty, "\(result.errors)")
            #expect(result.data?["_entities"].array?.count == 100)
            #expect(result.data?["_entities"].array?.filter { $0["inStock"].bool == true }.count == 66)
            // The entity batch loads every product's stock in one query (loadMany), whatever the
            // machine's load: no DataLoader batching window is involved.
            #expect(harness.stockStore.levelQueries.withLock { $0 } == 1)
        }
    }

    @Test func stockByID() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 3)
            let query = "query($p: ID!) { stock(productId: $p) { productId available onHand reserved } }"
            let result = await harness.graphQL(query, ["p": .string(id.description)])
            #expect(result.data?["stock"]["available"].int == 3)
            #expect(result.data?["stock"]["productId"].string == id.description)
            #expect(await harness.graphQL(query, ["p": .string(ProductID().description)], as: TestUsers.admin).data?["stock"]["onHand"].int == 0)
            #expect(code(await harness.graphQL(query, ["p": "garbage"])) == "BAD_USER_INPUT")
        }
    }
}
