import EmporiumCore
import EmporiumTesting
import Foundation
import GraphQL
import Identity
@testable import Inventory
import Testing
import Database
import PostgresNIO

/// Receiving and adjusting stock through GraphQL: permissions, rules, warehouses.
@Suite struct StockCommandTests {
    static let receive = """
        mutation($p: ID!, $w: ID, $q: Int!) {
          receiveStock(productId: $p, warehouseId: $w, quantity: $q) { productId available onHand reserved warehouses { warehouse { code } available } }
        }
        """
    static let adjust = """
        mutation($p: ID!, $d: Int!, $r: String!) { adjustStock(productId: $p, delta: $d, reason: $r) { available onHand } }
        """

    @Test(arguments: [
        ("seller", nil as String?, 5),
        ("admin", nil, 5),
        ("other seller", "FORBIDDEN", 0),
        ("buyer", "FORBIDDEN", 0),
        ("no token", "UNAUTHENTICATED", 0),
    ])
    func receivePermissions(caller: String, expected: String?, units: Int) async throws {
        let principal: Principal? = switch caller {
        case "seller": TestUsers.seller
        case "admin": TestUsers.admin
        case "other seller": TestUsers.otherSeller
        case "buyer": TestUsers.buyer
        default: nil
        }
        try await Harness.run { harness in
            let id = try await harness.createProduct(seller: TestUsers.seller)
            let result = await harness.graphQL(Self.receive, ["p": .string(id.description), "q": 5], as: principal)
            #expect(code(result) == expected, "\(result.errors)")
            if expected == nil {
                #expect(result.data?["receiveStock"]["available"].int == 5)
                #expect(result.data?["receiveStock"]["warehouses"][0]["warehouse"]["code"].string == "DEFAULT")
            }
            #expect(try await harness.keeper.stockLevel(productID: id).onHand == units)
        }
    }

    @Test func adjustPermissionsMatchReceive() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 10)
            let variables: [String: Map] = ["p": .string(id.description), "d": -2, "r": "broken in transit"]
            #expect(code(await harness.graphQL(Self.adjust, variables)) == "UNAUTHENTICATED")
            #expect(code(await harness.graphQL(Self.adjust, variables, as: TestUsers.otherSeller)) == "FORBIDDEN")
            let own = await harness.graphQL(Self.adjust, variables, as: TestUsers.seller)
            #expect(own.errors.isEmpty, "\(own.errors)")
            #expect(own.data?["adjustStock"]["onHand"].int == 8)
            let admin = await harness.graphQL(Self.adjust, ["p": .string(id.description), "d": 3, "r": "found in recount"], as: TestUsers.admin)
            #expect(admin.data?["adjustStock"]["onHand"].int == 11)
            // Every movement is in the log with who and why.
            let log = try await harness.client.query(
                "SELECT reason, note, actor, on_hand_delta FROM inventory.stock_movements WHERE product_id = \(id.uuid) ORDER BY id", logger: harness.logger
            ).decode((String, String?, String?, Int).self).collectAll()
            #expect(log.map(\.0) == ["received", "adjusted", "adjusted"])
            #expect(log.map(\.1) == [nil, "broken in transit", "found in recount"])
            #expect(log.map(\.2) == ["admin-1", "seller-1", "admin-1"])
            #expect(log.map(\.3) == [10, -2, 3])
        }
    }

    @Test func anAdjustmentCannotTakeReservedOrMissingUnits() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 5)
            _ = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 2)])
            let result = await harness.graphQL(Self.adjust, ["p": .string(id.description), "d": -4, "r": "stolen"], as: TestUsers.seller)
            #expect(code(result) == "BAD_USER_INPUT")
            #expect(result.errors.first?.message.contains("only 3 units are available") == true, "\(result.errors)")
            let level = try await harness.keeper.stockLevel(productID: id)
            #expect((level.onHand, level.reserved, level.available) == (5, 2, 3))
            // Exactly the available units may go.
            let allowed = await harness.graphQL(Self.adjust, ["p": .string(id.description), "d": -3, "r": "stolen"], as: TestUsers.seller)
            #expect(allowed.data?["adjustStock"]["available"].int == 0)
        }
    }

    @Test func badInputIsRejectedWithAField() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 1)
            let p = Map.string(id.description)
            let zero = await harness.graphQL(Self.adjust, ["p": p, "d": 0, "r": "x"], as: TestUsers.seller)
            #expect(code(zero) == "BAD_USER_INPUT")
            #expect(zero.errors.first?.extensions["field"]?.string == "delta")
            let noReason = await harness.graphQL(Self.adjust, ["p": p, "d": 1, "r": "  "], as: TestUsers.seller)
            #expect(noReason.errors.first?.extensions["field"]?.string == "reason")
            #expect(code(await harness.graphQL(Self.receive, ["p": p, "q": 0], as: TestUsers.seller)) == "BAD_USER_INPUT")
            #expect(code(await harness.graphQL(Self.receive, ["p": p, "q": -3], as: TestUsers.seller)) == "BAD_USER_INPUT")
            #expect(code(await harness.graphQL(Self.receive, ["p": "nope", "q": 1], as: TestUsers.seller)) == "BAD_USER_INPUT")
            #expect(code(await harness.graphQL(Self.receive, ["p": .string(UUID().uuidString), "q": 1], as: TestUsers.admin)) == "NOT_FOUND")
            #expect(code(await harness.graphQL(Self.receive, ["p": p, "w": .string(UUID().uuidString), "q": 1], as: TestUsers.admin)) == "NOT_FOUND")
            #expect(try await harness.keeper.stockLevel(productID: id).onHand == 1)
        }
    }

    @Test func warehousesAreAdminOnlyAndHoldTheirOwnStock() async throws {
        try await Harness.run { harness in
            let create = "mutation($c: String!, $n: String!) { createWarehouse(code: $c, name: $n) { id code name isDefault } }"
            #expect(code(await harness.graphQL(create, ["c": "msk-1", "n": "Moscow"], as: TestUsers.seller)) == "FORBIDDEN")
            let created = await harness.graphQL(create, ["c": "msk-1", "n": "Moscow"], as: TestUsers.admin)
            #expect(created.errors.isEmpty, "\(created.errors)")
            #expect(created.data?["createWarehouse"]["code"].string == "MSK-1")
            #expect(created.data?["createWarehouse"]["isDefault"].bool == false)
            #expect(code(await harness.graphQL(create, ["c": "MSK-1", "n": "Again"], as: TestUsers.admin)) == "CONFLICT")
            let warehouse = created.data?["createWarehouse"]["id"].string ?? ""

            let list = await harness.graphQL("{ warehouses { code isDefault } }")
            #expect(list.data?["warehouses"].array?.map { $0["code"].string } == ["DEFAULT", "MSK-1"])

            let id = try await harness.createProduct(units: 2)
            let result = await harness.graphQL(Self.receive, ["p": .string(id.description), "w": .string(warehouse), "q": 7], as: TestUsers.seller)
            #expect(result.errors.isEmpty, "\(result.errors)")
            #expect(result.data?["receiveStock"]["available"].int == 9)
            #expect(result.data?["receiveStock"]["warehouses"].array?.map { $0["warehouse"]["code"].string ?? "" } == ["DEFAULT", "MSK-1"])
            #expect(result.data?["receiveStock"]["warehouses"].array?.map { $0["available"].int ?? -1 } == [2, 7])
        }
    }

    @Test func lowStockThreshold() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 4)
            let query = "query($p: ID!) { stock(productId: $p) { lowStock lowStockThreshold } }"
            let before = await harness.graphQL(query, ["p": .string(id.description)], as: TestUsers.seller)
            #expect(before.data?["stock"]["lowStock"].bool == true)
            #expect(before.data?["stock"]["lowStockThreshold"].int == StockLevel.defaultLowStockThreshold)
            let set = "mutation($p: ID!, $t: Int!) { setLowStockThreshold(productId: $p, threshold: $t) { lowStock lowStockThreshold } }"
            #expect(code(await harness.graphQL(set, ["p": .string(id.description), "t": 2], as: TestUsers.otherSeller)) == "FORBIDDEN")
            let after = await harness.graphQL(set, ["p": .string(id.description), "t": 2], as: TestUsers.seller)
            #expect(after.data?["setLowStockThreshold"]["lowStock"].bool == false)
            #expect(after.data?["setLowStockThreshold"]["lowStockThreshold"].int == 2)
        }
    }
}

@Suite struct StockOwnershipTests {
    /// The seller is checked again under the product's row lock: a change of seller that lands
    /// between the permission check and the movement cannot be raced.
    @Test func theStoreRechecksTheOwnerUnderTheLock() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(seller: TestUsers.otherSeller)
            let movement = StockMovement(
                productID: id, warehouseID: Warehouse.defaultID, onHandDelta: 5, reservedDelta: 0, reason: .received,
                actor: TestUsers.seller.userID.rawValue)
            let error = await #expect(throws: EmporiumError.self) {
                try await harness.stockStore.apply(movement, at: Date(), owner: TestUsers.seller.userID)
            }
            #expect(error?.code == .forbidden)
            let level = try await harness.stockStore.apply(movement, at: Date(), owner: TestUsers.otherSeller.userID)
            #expect(level.available == 5)
            #expect(try await harness.stockStore.apply(movement, at: Date(), owner: nil).available == 10)  // admins
        }
    }
}
