import EmporiumCore
import EmporiumTesting
import GraphQL
import Identity
@testable import Inventory
import Testing
import OrderedCollections

/// Stock figures beyond `available` are the product seller's and admins' business only, through
/// every way of reaching a `StockLevel`: the `stock` root field and the `Product` entity.
@Suite struct StockVisibilityTests {
    static let figures = "available onHand reserved lowStock lowStockThreshold warehouses { warehouse { code } onHand reserved available }"
    static let byID = "query($p: ID!) { stock(productId: $p) { \(figures) } }"
    static let entities = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id inStock stock { \(figures) } } } }"

    enum Path: CaseIterable { case stockQuery, entities }

    /// The stock object a caller receives through `path`, with the errors of the response.
    func stock(of id: ProductID, via path: Path, as principal: Principal?, in harness: Harness) async -> (stock: Map?, inStock: Bool?, errors: [GraphQLError]) {
        switch path {
        case .stockQuery:
            let result = await harness.graphQL(Self.byID, ["p": .string(id.description)], as: principal)
            return (result.data?["stock"], nil, result.errors)
        case .entities:
            let representations: Map = .array([["__typename": "Product", "id": .string(id.description)]])
            let result = await harness.graphQL(Self.entities, ["r": representations], as: principal)
            let product = result.data?["_entities"][0]
            return (product?["stock"], product?["inStock"].bool, result.errors)
        }
    }

    @Test(arguments: Path.allCases)
    func anonymousUsersOtherSellersAndBuyersSeeOnlyAvailability(_ path: Path) async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(seller: TestUsers.seller, units: 7)
            for principal in [nil, TestUsers.otherSeller, TestUsers.buyer] as [Principal?] {
                let answer = await stock(of: id, via: path, as: principal, in: harness)
                let who = principal?.userID.rawValue ?? "anonymous"
                #expect(answer.errors.isEmpty, "\(who): \(answer.errors)")
                #expect(answer.stock?["available"].int == 7, "\(who)")
                if path == .entities { #expect(answer.inStock == true, "\(who)") }
                for field in ["onHand", "reserved", "lowStock", "lowStockThreshold", "warehouses"] {
                    // Present and null (a missing key would read as null too).
                    #expect(answer.stock?.dictionary?.keys.contains(field) == true, "\(who): \(field) missing")
                    #expect(answer.stock?[field] == .null, "\(who) sees \(field): \(String(describing: answer.stock?[field]))")
                }
            }
        }
    }

    @Test(arguments: Path.allCases)
    func theSellerAndAdminsSeeEveryFigure(_ path: Path) async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(seller: TestUsers.seller, units: 7)
            for principal in [TestUsers.seller, TestUsers.admin] {
                let answer = await stock(of: id, via: path, as: principal, in: harness)
                let who = principal.userID.rawValue
                #expect(answer.errors.isEmpty, "\(who): \(answer.errors)")
                #expect(answer.stock?["onHand"].int == 7, "\(who)")
                #expect(answer.stock?["reserved"].int == 0, "\(who)")
                #expect(answer.stock?["lowStock"].bool == false, "\(who)")
                #expect(answer.stock?["lowStockThreshold"].int == StockLevel.defaultLowStockThreshold, "\(who)")
                #expect(answer.stock?["warehouses"][0]["warehouse"]["code"].string == "DEFAULT", "\(who)")
                #expect(answer.stock?["warehouses"][0]["onHand"].int == 7, "\(who)")
            }
        }
    }

    /// One response about two sellers' products: each caller sees figures of their own only.
    @Test func aMixedBatchShowsFiguresPerProduct() async throws {
        try await Harness.run { harness in
            let mine = try await harness.createProduct(seller: TestUsers.seller, units: 2)
            let theirs = try await harness.createProduct(seller: TestUsers.otherSeller, units: 3)
            let representations: Map = .array([mine, theirs].map { ["__typename": "Product", "id": .string($0.description)] })
            let result = await harness.graphQL(Self.entities, ["r": representations], as: TestUsers.seller)
            #expect(result.errors.isEmpty, "\(result.errors)")
            #expect(result.data?["_entities"][0]["stock"]["onHand"].int == 2)
            #expect(result.data?["_entities"][1]["stock"]["onHand"] == .null)
            #expect(result.data?["_entities"][1]["stock"]["available"].int == 3)
        }
    }

    /// A product inventory has not heard of has no seller: nobody but an admin sees its figures.
    @Test func unknownProductsShowNoFiguresToSellers() async throws {
        try await Harness.run { harness in
            let unknown = ProductID()
            let seller = await stock(of: unknown, via: .stockQuery, as: TestUsers.seller, in: harness)
            #expect(seller.errors.isEmpty)
            #expect(seller.stock?["available"].int == 0)
            #expect(seller.stock?["onHand"] == .null)
            let admin = await stock(of: unknown, via: .stockQuery, as: TestUsers.admin, in: harness)
            #expect(admin.stock?["onHand"].int == 0)
        }
    }
}
