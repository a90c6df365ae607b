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

/// Text a client sends that PostgreSQL would refuse or count differently: each answer is
/// `BAD_USER_INPUT` naming the field, nothing is written, and never `INTERNAL_SERVER_ERROR`.
@Suite struct CatalogInputTests {
    static let create = "mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }"

    /// "e" + COMBINING ACUTE ACCENT: one character to Swift, two to PostgreSQL's `length()`.
    static let combined = "e\u{301}"

    static func input(title: String = "Kettle", _ extra: [String: Map] = [:]) -> [String: Map] {
        var fields: Map = ["title": .string(title), "price": ["amount": 1990, "currency": "EUR"]]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { fields[key] = value }
        return ["input": fields]
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let variables: [String: Map]
        let field: String
        var testDescription: String { name }
    }

    static let refused: [Case] = [
        Case(name: "NUL in the title", variables: input(title: "Ket\u{0}tle"), field: "input.title"),
        Case(name: "ESC in the title", variables: input(title: "Kettle \u{1B}[31m"), field: "input.title"),
        Case(name: "a line feed inside the title", variables: input(title: "Ket\ntle"), field: "input.title"),
        Case(name: "NUL in the description", variables: input(["description": "Boils\u{0}water"]), field: "input.description"),
        Case(name: "DEL in the description", variables: input(["description": "Boils\u{7F}"]), field: "input.description"),
        Case(name: "C1 control in the description", variables: input(["description": "Boils\u{85}"]), field: "input.description"),
        Case(name: "NUL in an attribute key", variables: input(["attributes": [["key": "col\u{0}or", "value": "black"]]]), field: "input.attributes[0].key"),
        Case(name: "NUL in an attribute value", variables: input(["attributes": [["key": "color", "value": "bl\u{0}ack"]]]), field: "input.attributes[0].value"),
        Case(name: "NUL in an image URL", variables: input(["imageUrls": ["https://img.example/\u{0}.jpg"]]), field: "input.imageUrls[0]"),
        Case(name: "200 characters of 400 scalars", variables: input(title: String(repeating: combined, count: 200)), field: "input.title"),
        Case(name: "a description of 10,000 characters and 20,000 scalars",
             variables: input(["description": .string(String(repeating: combined, count: 10_000))]), field: "input.description"),
    ]

    @Test(arguments: refused)
    func refusedWithTheField(_ example: Case) async throws {
        try await withCatalog { catalog, stores in
            let result = await catalog.run(Self.create, example.variables, as: TestUsers.seller)
            #expect(result.errors.first?.extensions["code"]?.string == "BAD_USER_INPUT", "\(result.errors)")
            #expect(result.errors.first?.extensions["field"]?.string == example.field, "\(result.errors)")
            #expect(!stores.calls.withLock { $0 }.contains("create"), "the store was asked to write")
        }
    }

    @Test func anAdminNamingASellerWithANULIsRefused() async throws {
        try await withCatalog { catalog, _ in
            let result = await catalog.run(Self.create, Self.input(["sellerId": "seller\u{0}x"]), as: TestUsers.admin)
            #expect(result.errors.first?.extensions["code"]?.string == "BAD_USER_INPUT", "\(result.errors)")
            #expect(result.errors.first?.extensions["field"]?.string == "input.sellerId")
        }
    }

    /// Descriptions may be multi-line; the limits count what PostgreSQL counts.
    @Test func lineBreaksInDescriptionsAndLimitsInScalarsAreAccepted() async throws {
        try await withCatalog { catalog, _ in
            let description = "Boils water.\r\n\tFast.\n" + String(repeating: "x", count: 9_979)
            #expect(TextRules.length(description) == 10_000)
            let title = String(repeating: Self.combined, count: 100)
            let result = await catalog.run(Self.create, Self.input(title: title, ["description": .string(description)]), as: TestUsers.seller)
            #expect(result.errors.isEmpty, "\(result.errors)")
        }
    }

    /// Read paths pass text to SQL too: a NUL there was a database error (500) before.
    @Test func searchAndFilterRefuseControlCharacters() async throws {
        try await withCatalog { catalog, _ in
            let search = await catalog.run("query($q: String!) { searchProducts(query: $q) { edges { cursor } } }", ["q": "kett\u{0}le"])
            #expect(search.errors.first?.extensions["code"]?.string == "BAD_USER_INPUT", "\(search.errors)")
            #expect(search.errors.first?.extensions["field"]?.string == "query")
            let list = await catalog.run("query($s: ID!) { products(filter: { sellerId: $s }) { edges { cursor } } }", ["s": "a\u{0}b"])
            #expect(list.errors.first?.extensions["code"]?.string == "BAD_USER_INPUT", "\(list.errors)")
            #expect(list.errors.first?.extensions["field"]?.string == "filter.sellerId")
        }
    }

    /// The second line: a product that slipped past the rules is refused by a constraint, and
    /// the store reports the field rather than a database error.
    @Test func constraintViolationsBecomeBadUserInput() async throws {
        try await withCatalog { _, stores in
            let now = ProductCatalog.millisecondPrecision(Date())
            func product(title: String, description: String = "") throws -> Product {
                Product(
                    id: ProductID(), sellerID: UserID("seller-1"), title: title, slug: Slug(from: "kettle", fallback: "product"),
                    description: description, price: try Money.price(amount: 100, currency: "EUR", field: "price"), compareAtPrice: nil,
                    categoryID: nil, attributes: [], imageURLs: [], status: .draft, publishAt: nil, createdAt: now, updatedAt: now, version: 1
                )
            }
            let tooLong = try product(title: String(repeating: Self.combined, count: 150))
            await #expect {
                try await stores.products.create(tooLong)
            } throws: { error in
                let error = error as? EmporiumError
                return error?.code == .badUserInput && error?.field == "input.title"
            }
            let withNUL = try product(title: "Kettle", description: "a\u{0}b")
            await #expect {
                try await stores.products.create(withNUL)
            } throws: { error in
                (error as? EmporiumError)?.code == .badUserInput
            }
        }
    }

    struct Endpoint: Sendable {
        let service: CatalogService
        func run(_ query: String, _ variables: [String: Map] = [:], as principal: Principal? = nil) async -> GraphQLResult {
            await service.endpoint.execute(GraphQLRequest(query: query, variables: variables), info: GraphQLRequestInfo(principal: principal)).result
        }
    }

    func withCatalog(_ body: @Sendable (Endpoint, CountingStores) async throws -> Void) async throws {
        let fixture = try await CatalogFixture.make()
        try await fixture.run { _, client in
            let logger = Logger(label: "test")
            let stores = CountingStores(products: PostgresProductStore(client: client, logger: logger), categories: PostgresCategoryStore(client: client, logger: logger))
            try await body(Endpoint(service: try CatalogService(products: stores, categories: stores, search: PostgresSearchIndex(client: client, logger: logger), logger: logger)), stores)
        }
    }
}
