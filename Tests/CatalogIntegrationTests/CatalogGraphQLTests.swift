@testable import Catalog
import EmporiumCore
import CatalogTesting
import EmporiumTesting
import Foundation
import GraphQL
import GraphQLSupport
import Identity
import Logging
import Testing
import Synchronization

/// The catalog subgraph through its GraphQL endpoint, against a real PostgreSQL.
@Suite struct CatalogGraphQLTests {
    struct Harness: Sendable {
        let service: CatalogService
        let stores: CountingStores

        func run(_ query: String, _ variables: [String: Map] = [:], as principal: Principal? = nil) async -> GraphQLResult {
            await service.endpoint.execute(GraphQLRequest(query: query, variables: variables), info: GraphQLRequestInfo(principal: principal)).result
        }
    }

    func withHarness(_ body: @Sendable (Harness) async throws -> Void) async throws {
        let fixture = try await CatalogFixture.make()
        try await fixture.run { _, client in
            let logger = Logger(label: "test")
            let stores = CountingStores(products: PostgresProductStore(client: client, logger: logger), categories: PostgresCategoryStore(client: client, logger: logger))
            let service = try CatalogService(products: stores, categories: stores, search: PostgresSearchIndex(client: client, logger: logger), logger: logger)
            try await body(Harness(service: service, stores: stores))
        }
    }

    static let create = """
        mutation Create($input: CreateProductInput!) {
          createProduct(input: $input) { id title slug version status price { amount currency formatted } }
        }
        """

    static func input(title: String = "Kettle", amount: Int = 1990, currency: String = "EUR") -> [String: Map] {
        ["input": ["title": .string(title), "price": ["amount": Map(amount), "currency": .string(currency)]]]
    }

    func code(_ result: GraphQLResult) -> String? {
        result.errors.first?.extensions["code"]?.string
    }

    @Test func createsProductsThroughGraphQL() async throws {
        try await withHarness { harness in
            let result = await harness.run(Self.create, Self.input(title: "Смартфон Галактика S24"), as: TestUsers.seller)
            #expect(result.errors.isEmpty, "\(result.errors)")
            let product = result.data?["createProduct"]
            #expect(product?["slug"].string == "smartfon-galaktika-s24")
            #expect(product?["status"].string == "DRAFT")
            #expect(product?["price"]["formatted"].string == "19.90 EUR")
        }
    }

    @Test(arguments: [
        ("", 1990, "EUR", "BAD_USER_INPUT", "input.title"),
        (String(repeating: "x", count: 201), 1990, "EUR", "BAD_USER_INPUT", "input.title"),
        ("Kettle", -5, "EUR", "BAD_USER_INPUT", "input.price.amount"),
        ("Kettle", 1990, "ABC", "BAD_USER_INPUT", "input.price.currency"),
    ])
    func badInputIsRejectedWithACodeAndWritesNothing(title: String, amount: Int, currency: String, code: String, field: String) async throws {
        try await withHarness { harness in
            let result = await harness.run(Self.create, Self.input(title: title, amount: amount, currency: currency), as: TestUsers.seller)
            #expect(self.code(result) == code)
            #expect(result.errors.first?.extensions["field"]?.string == field)
            #expect(result.errors.first?.path.elements.isEmpty == false)
            let list = await harness.run("{ products(first: 5) { edges { node { id } } } }", as: TestUsers.admin)
            #expect(list.data?["products"]["edges"].array?.isEmpty == true)
        }
    }

    @Test func authenticationAndOwnershipErrors() async throws {
        try await withHarness { harness in
            #expect(code(await harness.run(Self.create, Self.input())) == "UNAUTHENTICATED")
            #expect(code(await harness.run(Self.create, Self.input(), as: TestUsers.buyer)) == "FORBIDDEN")
            let created = await harness.run(Self.create, Self.input(), as: TestUsers.seller)
            let id = created.data?["createProduct"]["id"].string ?? ""
            let archive = "mutation($id: ID!) { archiveProduct(id: $id) { status } }"
            #expect(code(await harness.run(archive, ["id": .string(id)], as: TestUsers.otherSeller)) == "FORBIDDEN")
            #expect(await harness.run(archive, ["id": .string(id)], as: TestUsers.admin).data?["archiveProduct"]["status"].string == "ARCHIVED")
        }
    }

    @Test func lookupErrors() async throws {
        try await withHarness { harness in
            let byID = "query($id: ID!) { product(id: $id) { id } }"
            #expect(code(await harness.run(byID, ["id": "not-a-uuid"])) == "BAD_USER_INPUT")
            let missing = await harness.run(byID, ["id": .string(UUID().uuidString)])
            #expect(code(missing) == "NOT_FOUND")
            #expect(missing.errors.first?.path.elements == [.key("product")])
            #expect(code(await harness.run(#"{ products(after: "garbage") { edges { cursor } } }"#)) == "BAD_USER_INPUT")
            #expect(code(await harness.run("{ products(first: 1000) { edges { cursor } } }")) == "BAD_USER_INPUT")
            #expect(code(await harness.run(#"{ productBySlug(slug: "Not A Slug") { id } }"#)) == "BAD_USER_INPUT")
        }
    }

    @Test func versionConflictsAreReported() async throws {
        try await withHarness { harness in
            let created = await harness.run(Self.create, Self.input(), as: TestUsers.seller)
            let id = created.data?["createProduct"]["id"].string ?? ""
            let update = "mutation($id: ID!, $v: Int!) { updateProduct(id: $id, expectedVersion: $v, input: {title: \"New\"}) { version title } }"
            #expect(await harness.run(update, ["id": .string(id), "v": 1], as: TestUsers.seller).data?["updateProduct"]["version"].int == 2)
            let stale = await harness.run(update, ["id": .string(id), "v": 1], as: TestUsers.seller)
            #expect(code(stale) == "CONFLICT")
        }
    }

    @Test func parseAndValidationFailuresHaveTheirCodes() async throws {
        try await withHarness { harness in
            #expect(code(await harness.run("{ products(first: 1) { ")) == "GRAPHQL_PARSE_FAILED")
            #expect(code(await harness.run("{ products { noSuchField } }")) == "GRAPHQL_VALIDATION_FAILED")
            #expect(code(await harness.run("query($id: ID!) { product(id: $id) { id } }")) == "BAD_USER_INPUT")
        }
    }

    /// DataLoader: a nested query over 50 products costs the same number of statements as one
    /// over 5, because product → category (and category → parent) lookups are batched.
    @Test func nestedQueriesCostAConstantNumberOfStatements() async throws {
        try await withHarness { harness in
            let catalog = harness.service.catalog
            let root = try await catalog.createCategory(name: "Root", slug: nil, parentID: nil, by: TestUsers.admin)
            var categories: [CategoryID] = []
            for index in 0..<5 {
                categories.append(try await catalog.createCategory(name: "Leaf \(index)", slug: nil, parentID: root.id.description, by: TestUsers.admin).id)
            }
            for index in 0..<50 {
                _ = try await newProduct(catalog, title: "Product \(index)", category: categories[index % 5])
            }
            let query = "query($n: Int) { products(first: $n) { edges { node { id title category { name parent { name } } } } } }"
            var counts: [Int] = []
            var calls: [[String]] = []
            for size in [5, 50] {
                harness.stores.reset()
                let result = await harness.run(query, ["n": Map(size)], as: TestUsers.admin)
                #expect(result.errors.isEmpty, "\(result.errors)")
                #expect(result.data?["products"]["edges"].array?.count == size)
                counts.append(harness.stores.count)
                calls.append(harness.stores.calls.withLock { $0 }.map { "\($0)" })
            }
            // list + categories(ids) + categories(ids) for parents.
            #expect(counts[0] == counts[1], "statements: \(counts) \(calls)")
            #expect(counts[1] <= 3, "statements: \(harness.stores.calls.withLock { $0 })")
        }
    }

    @Test func entitiesResolveByKey() async throws {
        try await withHarness { harness in
            let product = try await newProduct(harness.service.catalog, title: "Federated")
            _ = try await harness.service.catalog.publishProduct(id: product.id, expectedVersion: nil, publishAt: nil, by: TestUsers.seller)
            let query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id title } } }"
            let result = await harness.run(query, ["r": [["__typename": "Product", "id": .string(product.id.description)]]])
            #expect(result.errors.isEmpty, "\(result.errors)")
            #expect(result.data?["_entities"][0]["title"].string == "Federated")
            let sdl = await harness.run("{ _service { sdl } }")
            #expect(sdl.data?["_service"]["sdl"].string == CatalogSchema.sdl)
        }
    }

    @Test func entitiesComeInOrderInOneBatchWithNullForWhatIsNotVisible() async throws {
        try await withHarness { harness in
            let draft = try await newProduct(harness.service.catalog, title: "Draft")
            var published: [Product] = []
            for n in 0..<5 {
                let product = try await newProduct(harness.service.catalog, title: "Shown \(n)")
                published.append(try await harness.service.catalog.publishProduct(id: product.id, expectedVersion: nil, publishAt: nil, by: TestUsers.seller))
            }
            let category = try await harness.service.catalog.createCategory(name: "Lamps", slug: nil, parentID: nil, by: TestUsers.admin)
            var representations: [Map] = published.reversed().map { ["__typename": "Product", "id": .string($0.id.description)] }
            representations.insert(["__typename": "Product", "id": .string(draft.id.description)], at: 2)
            representations.insert(["__typename": "Category", "id": .string(category.id.description)], at: 1)
            representations.append(["__typename": "Product", "id": "not-an-id"])
            let query = "query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Product { title } ... on Category { name } } }"
            let before = harness.stores.count
            let result = await harness.run(query, ["r": .array(representations)])
            #expect(result.errors.isEmpty, "\(result.errors)")
            let titles = result.data?["_entities"].array?.map { $0["title"].string ?? $0["name"].string ?? "null" }
            #expect(titles == ["Shown 4", "Lamps", "Shown 3", "null", "Shown 2", "Shown 1", "Shown 0", "null"])
            #expect(harness.stores.count - before <= 2, "one product batch and one category batch")

            let unknown = await harness.run(query, ["r": [["__typename": "Review", "id": "1"]]])
            #expect(unknown.errors.first?.message.contains("Review") == true)
        }
    }

    @Test func searchWithFacetsSuggestionsAndSynonymsThroughGraphQL() async throws {
        try await withHarness { harness in
            let catalog = harness.service.catalog
            let phones = try await catalog.createCategory(name: "Смартфоны", slug: nil, parentID: nil, by: TestUsers.admin)
            for (title, price) in [("Смартфон Галактика", 50_000_00), ("Смартфон Лайт", 9_990_00)] {
                let product = try await newProduct(catalog, title: title, price: Int64(price), category: phones.id)
                _ = try await catalog.publishProduct(id: product.id, expectedVersion: nil, publishAt: nil, by: TestUsers.seller)
            }
            let query = """
                query($input: SearchInput!) { search(input: $input) {
                  correctedQuery totalCount
                  products { nodes { title } pageInfo { hasNextPage } }
                  facets { exact categories { category { name } count } prices { currency min max count } }
                } }
                """
            let result = await harness.run(query, ["input": ["query": "cvfhnajy", "sort": "PRICE_DESC", "first": 1]])
            #expect(result.errors.isEmpty, "\(result.errors)")
            let search = result.data?["search"]
            #expect(search?["correctedQuery"].string == "смартфон")
            #expect(search?["totalCount"].int == 2)
            #expect(search?["products"]["nodes"][0]["title"].string == "Смартфон Галактика")
            #expect(search?["products"]["pageInfo"]["hasNextPage"].bool == true)
            #expect(search?["facets"]["exact"].bool == true)
            #expect(search?["facets"]["categories"][0]["category"]["name"].string == "Смартфоны")
            #expect(search?["facets"]["categories"][0]["count"].int == 2)
            #expect(search?["facets"]["prices"].array?.count == 2)
            #expect(search?["facets"]["prices"][0]["min"].int == 500_000 && search?["facets"]["prices"][0]["max"].int == 1_000_000)

            let bad = await harness.run(query, ["input": ["minPrice": 5, "maxPrice": 1]])
            #expect(code(bad) == "BAD_USER_INPUT" && bad.errors.first?.extensions["field"]?.string == "input.minPrice")
            let badSort = await harness.run(query, ["input": ["sort": "CHEAPEST"]])
            #expect(code(badSort) == "BAD_USER_INPUT" || code(badSort) == "GRAPHQL_VALIDATION_FAILED", "\(badSort.errors)")

            let suggestions = await harness.run(#"{ searchSuggestions(prefix: "smartf", first: 5) { kind text category { name } product { title } } }"#)
            #expect(suggestions.errors.isEmpty, "\(suggestions.errors)")
            let kinds = suggestions.data?["searchSuggestions"].array?.compactMap { $0["kind"].string }
            #expect(kinds?.first == "CATEGORY" && kinds?.contains("QUERY") == true && kinds?.contains("PRODUCT") == true, "\(String(describing: kinds))")

            let set = #"mutation { setSearchSynonyms(term: "телефон", synonyms: ["смартфон"]) { term synonyms } }"#
            #expect(code(await harness.run(set, as: TestUsers.seller)) == "FORBIDDEN")
            let kept = await harness.run(set, as: TestUsers.admin)
            #expect(kept.data?["setSearchSynonyms"]["synonyms"].array?.compactMap(\.string) == ["смартфон"])
            let widened = await harness.run(query, ["input": ["query": "телефон"]])
            #expect(widened.data?["search"]["totalCount"].int == 2 && widened.data?["search"]["correctedQuery"] == .null, "\(widened)")
            #expect(await harness.run("{ searchSynonyms { term } }", as: TestUsers.admin).data?["searchSynonyms"][0]["term"].string == "телефон")
        }
    }
}
