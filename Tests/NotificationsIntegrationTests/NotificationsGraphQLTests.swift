import Contracts
import EmporiumCore
import EmporiumTesting
import Foundation
import GraphQL
import GraphQLExecution
import Identity
@testable import Notifications
import Testing

/// The subgraph: a user's own notifications, read state, watches and choices; every input checked.
@Suite struct NotificationsGraphQLTests {
    static let seller = TestUsers.seller
    static let stranger = TestUsers.buyer

    static let userQuery = """
        query($users: [_Any!]!, $first: Int, $after: String, $unread: Boolean) {
          _entities(representations: $users) {
            ... on User {
              unreadNotificationCount
              notifications(first: $first, after: $after, unreadOnly: $unread) { notifications { id kind title offset read } nextCursor }
            }
          }
        }
        """

    static func representation(_ user: Principal) -> Map {
        [["__typename": "User", "id": .string(user.userID.rawValue)]]
    }

    @Test func everyFieldOfTheSDLHasAResolver() throws {
        #expect(try NotificationsSchema.build().sdl == NotificationsSchema.sdl)
    }

    /// A kind the GraphQL enum does not list would be null in a non-null field, nulling the whole
    /// user in the answer (it happened once): every kind has its value.
    @Test func everyKindHasItsGraphQLValue() {
        for kind in NotificationKind.allCases {
            #expect(NotificationKindValue(rawValue: kind.rawValue) != nil, "\(kind) is missing from NotificationKindValue")
        }
    }

    /// The notifications' part of `PersonalData`: everything kept about the user, for them and
    /// admins only.
    @Test func personalDataHoldsEverythingKeptAndOnlyForTheUserAndAdmins() async throws {
        try await Harness.run { harness in
            try await harness.register(Self.seller.userID.rawValue, language: "en", email: "shop@example.com")
            let product = try await Self.fiveNotifications(harness)
            _ = try await harness.service.center.watch(product: product, kinds: [.priceDrop], viewer: Self.seller)
            let query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on PersonalData { userId notifications } } }"
            let representation: Map = [["__typename": "PersonalData", "userId": .string(Self.seller.userID.rawValue)]]
            for reader in [Self.seller, TestUsers.admin] {
                let result = await harness.graphQL(query, ["r": representation], as: reader)
                #expect(result.errors.isEmpty, "\(result.errors)")
                let text = try #require(result.data?["_entities"][0]["notifications"].string)
                let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                #expect((document["recipient"] as? [String: Any])?["email"] as? String == "shop@example.com")
                #expect((document["notifications"] as? [[String: Any]])?.count == 5)
                #expect((document["watches"] as? [[String: Any]])?.first?["productId"] as? String == product)
                #expect(document["mail"] is [[String: Any]])
            }
            #expect(code(await harness.graphQL(query, ["r": representation], as: Self.stranger)) == "FORBIDDEN")
            #expect(code(await harness.graphQL(query, ["r": representation])) == "UNAUTHENTICATED")
        }
    }

    /// Five low-stock notifications for the test seller, offsets 1…5.
    static func fiveNotifications(_ harness: Harness) async throws -> String {
        let product = try await harness.product()
        for available in 0..<5 {
            try await harness.handle(LowStockReached(
                productId: product, sellerId: seller.userID.rawValue, threshold: 5, totals: StockTotals(onHand: available, reserved: 0, available: available)))
        }
        return product
    }

    @Test func aUserPagesThroughTheirNotificationsNewestFirstAndMarksThemRead() async throws {
        try await Harness.run { harness in
            _ = try await Self.fiveNotifications(harness)
            let id = Self.representation(Self.seller)
            let first = await harness.graphQL(Self.userQuery, ["users": id, "first": 2], as: Self.seller)
            #expect(first.errors.isEmpty, "\(first.errors)")
            let user = first.data?["_entities"][0]
            #expect(user?["unreadNotificationCount"] == 5)
            #expect(user?["notifications"]["notifications"].array?.map { $0["offset"] } == [5, 4])
            let cursor = try #require(user?["notifications"]["nextCursor"].string)
            let second = await harness.graphQL(Self.userQuery, ["users": id, "first": 10, "after": .string(cursor)], as: Self.seller)
            let rest = second.data?["_entities"][0]["notifications"]
            #expect(rest?["notifications"].array?.map { $0["offset"] } == [3, 2, 1])
            #expect(rest?["nextCursor"] == .null)

            let ids = rest?["notifications"].array?.prefix(2).compactMap { $0["id"].string }.map(Map.string) ?? []
            let marked = await harness.graphQL("mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }", ["ids": .array(ids)], as: Self.seller)
            #expect(marked.data?["markNotificationsRead"] == 2)
            // Marking again counts nothing new; someone else's ids mark nothing.
            #expect(await harness.graphQL("mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }", ["ids": .array(ids)], as: Self.seller)
                .data?["markNotificationsRead"] == 0)
            let unread = await harness.graphQL(Self.userQuery, ["users": id, "unread": true], as: Self.seller)
            #expect(unread.data?["_entities"][0]["notifications"]["notifications"].array?.map { $0["offset"] } == [5, 4, 1])
            #expect(await harness.graphQL("mutation { markAllNotificationsRead }", as: Self.seller).data?["markAllNotificationsRead"] == 3)
            #expect(await harness.graphQL(Self.userQuery, ["users": id], as: Self.seller).data?["_entities"][0]["unreadNotificationCount"] == 0)
        }
    }

    /// Variables inside a custom scalar's literal (`_Any`) are put in, as graphql-js does.
    @Test func aRepresentationLiteralMayHoldVariables() async throws {
        try await Harness.run { harness in
            _ = try await Self.fiveNotifications(harness)
            let query = #"query($id: ID!) { _entities(representations: [{__typename: "User", id: $id}]) { ... on User { unreadNotificationCount } } }"#
            let result = await harness.graphQL(query, ["id": .string(Self.seller.userID.rawValue)], as: Self.seller)
            #expect(result.errors.isEmpty, "\(result.errors)")
            #expect(result.data?["_entities"][0]["unreadNotificationCount"] == 5)
        }
    }

    @Test func nobodyReadsAnotherUsersNotifications() async throws {
        try await Harness.run { harness in
            _ = try await Self.fiveNotifications(harness)
            let id = Self.representation(Self.seller)
            #expect(code(await harness.graphQL(Self.userQuery, ["users": id], as: Self.stranger)) == "FORBIDDEN")
            #expect(code(await harness.graphQL(Self.userQuery, ["users": id])) == "UNAUTHENTICATED")
            #expect(await harness.graphQL(Self.userQuery, ["users": id], as: TestUsers.admin).data?["_entities"][0]["unreadNotificationCount"] == 5)
            // By id: someone else's notification is simply not there.
            let mine = try await harness.notifications(of: Self.seller.userID.rawValue)[0]
            let byID = "query($id: ID!) { notification(id: $id) { title } }"
            #expect(await harness.graphQL(byID, ["id": .string(UUIDText.lowercase(mine.id))], as: Self.stranger).data?["notification"] == .null)
            #expect(await harness.graphQL(byID, ["id": .string(UUIDText.lowercase(mine.id))], as: Self.seller).data?["notification"]["title"] == "Заканчивается товар")
            #expect(await harness.graphQL("mutation { markAllNotificationsRead }", as: Self.stranger).data?["markAllNotificationsRead"] == 0)
        }
    }

    @Test func resumingSinceAnOffsetGivesWhatWasMissedOldestFirst() async throws {
        try await Harness.run { harness in
            _ = try await Self.fiveNotifications(harness)
            let since = await harness.graphQL("{ notificationsSince(since: 3) { offset } }", as: Self.seller)
            #expect(since.data?["notificationsSince"].array?.map { $0["offset"] } == [4, 5])
            #expect(await harness.graphQL("{ notificationsSince(since: 5) { offset } }", as: Self.seller).data?["notificationsSince"] == [])
            #expect(code(await harness.graphQL("{ notificationsSince(since: -1) { offset } }", as: Self.seller)) == "BAD_USER_INPUT")
        }
    }

    @Test func badInputIsRefusedWithItsField() async throws {
        try await Harness.run { harness in
            let id = Self.representation(Self.seller)
            for (variables, what) in [
                (["users": id, "first": Map.int(0)], "first 0"), (["users": id, "first": 101], "first 101"),
                (["users": id, "after": "not-a-cursor"], "cursor"), (["users": id, "after": .string(Cursor(["x"]).encoded)], "foreign cursor"),
            ] as [([String: Map], String)] {
                #expect(code(await harness.graphQL(Self.userQuery, variables, as: Self.seller)) == "BAD_USER_INPUT", "\(what)")
            }
            #expect(code(await harness.graphQL(#"mutation { markNotificationsRead(ids: ["nope"]) }"#, as: Self.seller)) == "BAD_USER_INPUT")
            let many = Map.array((0...100).map { _ in .string(UUIDText.lowercase(UUID())) })
            #expect(code(await harness.graphQL("mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }", ["ids": many], as: Self.seller)) == "BAD_USER_INPUT")
            #expect(code(await harness.graphQL(#"{ notification(id: "x") { id } }"#, as: Self.seller)) == "BAD_USER_INPUT")
            #expect(code(await harness.graphQL(#"mutation { watchProduct(productId: "x") { productId } }"#, as: Self.seller)) == "BAD_USER_INPUT")
            #expect(code(await harness.graphQL(#"mutation { watchProduct(productId: "x") { productId } }"#)) == "UNAUTHENTICATED")
            let unknown = UUIDText.lowercase(UUID())
            #expect(code(await harness.graphQL(#"mutation { watchProduct(productId: "\#(unknown)") { productId } }"#, as: Self.seller)) == "NOT_FOUND")
            #expect(code(await harness.graphQL(#"mutation { watchProduct(productId: "\#(unknown)", kinds: []) { productId } }"#, as: Self.seller)) == "BAD_USER_INPUT")
        }
    }

    @Test func watchesAndPreferencesRoundTrip() async throws {
        try await Harness.run { harness in
            let product = try await harness.product()
            let watch = await harness.graphQL(
                #"mutation { watchProduct(productId: "\#(product.uppercased())", kinds: [PRICE_DROP]) { productId kinds product { id watching } } }"#,
                as: Self.stranger)
            #expect(watch.errors.isEmpty, "\(watch.errors)")
            #expect(watch.data?["watchProduct"]["productId"] == .string(product))
            #expect(watch.data?["watchProduct"]["kinds"] == ["PRICE_DROP"])
            #expect(watch.data?["watchProduct"]["product"]["watching"] == ["PRICE_DROP"])
            let entity = #"{ _entities(representations: [{__typename: "Product", id: "\#(product)"}]) { ... on Product { watching } } }"#
            #expect(await harness.graphQL(entity, as: Self.seller).data?["_entities"][0]["watching"] == .null)
            #expect(await harness.graphQL(entity).data?["_entities"][0]["watching"] == .null)

            let me = #"{ _entities(representations: [{__typename: "User", id: "\#(Self.stranger.userID.rawValue)"}]) { ... on User { watchedProducts { productId kinds } notificationPreferences { kind channel enabled } } } }"#
            let before = await harness.graphQL(me, as: Self.stranger).data?["_entities"][0]
            #expect(before?["watchedProducts"].array?.count == 1)
            let preferences = before?["notificationPreferences"].array ?? []
            #expect(preferences.count == NotificationKind.allCases.count * 2)
            #expect(preferences.contains(["kind": "PRICE_DROP", "channel": "EMAIL", "enabled": false]))
            #expect(preferences.contains(["kind": "ORDER_STATUS", "channel": "EMAIL", "enabled": true]))
            let set = await harness.graphQL("mutation { setNotificationPreference(kind: PRICE_DROP, channel: EMAIL, enabled: true) { enabled } }", as: Self.stranger)
            #expect(set.data?["setNotificationPreference"]["enabled"] == true)
            let after = await harness.graphQL(me, as: Self.stranger).data?["_entities"][0]["notificationPreferences"].array ?? []
            #expect(after.contains(["kind": "PRICE_DROP", "channel": "EMAIL", "enabled": true]))

            #expect(await harness.graphQL(#"mutation { unwatchProduct(productId: "\#(product)") }"#, as: Self.stranger).data?["unwatchProduct"] == true)
            #expect(await harness.graphQL(#"mutation { unwatchProduct(productId: "\#(product)") }"#, as: Self.stranger).data?["unwatchProduct"] == false)
        }
    }
}
