import Contracts
import Database
import EmporiumCore
import EmporiumTesting
import Foundation
import Identity
import Logging
import PostgresNIO
import Testing
@testable import Users

/// The users' events go through the outbox in the same transaction as the change.
@Suite struct UserEventsTests {
    @Test func registrationShopsAndSuspensionsAreEvents() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users_events", migrations: [try UsersService.migrationSet()])
        let logger = Logger(label: "test")
        try await withPostgresClient(configuration, logger: logger) { client in
            let (service, _) = try await makeUsersService(client: client)
            let anna = try await service.accounts.register(email: "anna@example.com", password: "correct horse battery", displayName: "Анна", locale: "en")
            _ = try await service.accounts.becomeSeller(shopName: "Лавка", by: try await service.accounts.verify(anna.accessToken))
            let admin = Identity.Principal(userID: UserID(UUIDText.lowercase(UUID())), roles: [.admin])
            _ = try await service.admin.suspend(anna.user.id, reason: "spam", by: admin)
            // A refused registration writes no event.
            _ = try? await service.accounts.register(email: "anna@example.com", password: "correct horse battery", displayName: "Again", locale: nil)

            let rows = try await client.query("SELECT event_type, topic, aggregate_id, payload FROM users.outbox ORDER BY id", logger: logger)
                .decode((String, String, String, String).self).collectAll()
            #expect(rows.map(\.0) == ["UserRegistered", "SellerActivated", "UserSuspended"])
            #expect(rows.allSatisfy { $0.1 == Topics.usersAccount && $0.2 == anna.user.id.rawValue })
            let registered = try EventEnvelope(
                type: rows[0].0, schemaVersion: 1, topic: rows[0].1, aggregateID: rows[0].2, occurredAt: Date(), payload: Data(rows[0].3.utf8)
            ).decode(UserRegistered.self)
            #expect(registered == UserRegistered(userId: anna.user.id.rawValue, email: "anna@example.com", displayName: "Анна", language: "en"))
        }
    }
}

/// Deleting an account erases its personal data at once and frees its email.
@Suite struct AccountDeletionTests {
    @Test func aDeletedAccountIsErasedAndItsEmailFree() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users_delete", migrations: [try UsersService.migrationSet()])
        let logger = Logger(label: "test")
        try await withPostgresClient(configuration, logger: logger) { client in
            let (service, _) = try await makeUsersService(client: client)
            let accounts = service.accounts
            let anna = try await accounts.register(email: "anna@example.com", password: "correct horse battery", displayName: "Анна", locale: nil)
            let principal = try await accounts.verify(anna.accessToken)
            _ = try await accounts.becomeSeller(shopName: "Лавка", by: principal)
            await #expect { try await accounts.deleteAccount(password: "wrong password!", by: principal) } throws: { ($0 as? EmporiumError)?.field == "password" }
            await #expect { try await accounts.deleteAccount(password: "correct horse battery", by: nil) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }

            try await accounts.deleteAccount(password: "correct horse battery", by: principal)
            await #expect { try await accounts.refresh(anna.refreshToken) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            await #expect { try await accounts.login(email: "anna@example.com", password: "correct horse battery") } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            await #expect { try await accounts.deleteAccount(password: "correct horse battery", by: principal) } throws: { ($0 as? EmporiumError)?.code == .notFound }
            let erased = try #require(try await accounts.users(ids: [anna.user.id])[anna.user.id])
            #expect(erased.displayName == "Deleted user" && erased.roles.isEmpty && !erased.email.rawValue.contains("anna"))
            #expect(try await accounts.sellers(ids: [anna.user.id]).isEmpty)
            // The address can be used again, by a new account with a new id.
            let again = try await accounts.register(email: "anna@example.com", password: "correct horse battery", displayName: "Anna", locale: nil)
            #expect(again.user.id != anna.user.id)
            let events = try await client.query("SELECT event_type FROM users.outbox ORDER BY id", logger: logger).decode(String.self).collectAll()
            #expect(events == ["UserRegistered", "SellerActivated", "UserDeleted", "UserRegistered"])
        }
    }
}

@Suite struct DataExportTests {
    @Test func theExportHoldsTheAccountShopAndSessionsButNoCredentials() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users_export", migrations: [try UsersService.migrationSet()])
        try await withPostgresClient(configuration, logger: Logger(label: "test")) { client in
            let (service, _) = try await makeUsersService(client: client)
            let accounts = service.accounts
            let anna = try await accounts.register(email: "anna@example.com", password: "correct horse battery", displayName: "Анна", locale: "en")
            let principal = try await accounts.verify(anna.accessToken)
            _ = try await accounts.becomeSeller(shopName: "Лавка", by: principal)
            let text = try await accounts.exportMyData(by: principal)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let account = try #require(document["account"] as? [String: Any])
            #expect(account["email"] as? String == "anna@example.com" && account["displayName"] as? String == "Анна" && account["language"] as? String == "en")
            #expect((document["shop"] as? [String: Any])?["slug"] as? String == "lavka")
            #expect((document["sessions"] as? [Any])?.count == 2)
            #expect(!text.contains("password") && !text.contains("$2b$") && !text.contains("token"))
            await #expect { try await accounts.exportMyData(by: nil) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
        }
    }
}
