import EmporiumCore
import EmporiumTesting
import GraphQL
import GraphQLSupport
import Identity
import Logging
import Testing
@testable import Users

/// The users subgraph as the gateway calls it: entities, and the email's visibility.
@Suite struct UsersGraphQLTests {
    @Test func usersResolveAsEntitiesAndShowTheirEmailOnlyToThemselvesAndAdmins() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users_graphql", migrations: [try UsersService.migrationSet()])
        let logger = Logger(label: "emporium.test.users")
        try await withPostgresClient(configuration, logger: logger) { client in
            let service = try await makeUsersService(client: client).service
            let anna = try await service.accounts.register(email: "anna@example.com", password: "correct horse battery", displayName: "Anna", locale: "en")
            let query = """
                query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id displayName email roles language } } }
                """
            let representations: Map = [["__typename": "User", "id": .string(anna.user.id.rawValue)], ["__typename": "User", "id": "not-a-user"]]
            func entities(as principal: Principal?) async throws -> [Map] {
                let outcome = await service.endpoint.execute(GraphQLRequest(query: query, variables: ["r": representations]), info: GraphQLRequestInfo(principal: principal))
                #expect(outcome.errors.isEmpty, "\(outcome.errors)")
                return try #require(outcome.data?["_entities"].array)
            }
            let anonymous = try await entities(as: nil)
            #expect(anonymous[0] == ["id": .string(anna.user.id.rawValue), "displayName": "Anna", "email": .null, "roles": ["BUYER"], "language": "EN"])
            #expect(anonymous[1] == .null)
            #expect(try await entities(as: Principal(userID: anna.user.id, roles: [.buyer]))[0]["email"] == "anna@example.com")
            #expect(try await entities(as: Principal(userID: UserID("someone-else"), roles: [.admin]))[0]["email"] == "anna@example.com")
            #expect(try await entities(as: Principal(userID: UserID("someone-else"), roles: [.seller]))[0]["email"] == .null)
        }
    }
}
