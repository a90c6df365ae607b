import EmporiumCore
import EmporiumTesting
import Foundation
import Identity
import Logging
import Testing
@testable import Users

/// The users' signing keys on a real PostgreSQL: made once, rotated, retired keys verifying
/// until their tokens have expired.
@Suite struct SigningKeyTests {
    @Test func replicasStartingTogetherMakeOneKeyAndRotationKeepsTheOldOneVerifying() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users_keys", migrations: [try UsersService.migrationSet()])
        let logger = Logger(label: "test")
        try await withPostgresClient(configuration, logger: logger) { client in
            let store = PostgresSigningKeyStore(client: client, logger: logger)
            let now = Date()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<5 { group.addTask { try await store.ensureKey(at: now) } }
                try await group.waitForAll()
            }
            let first = try await store.keys(retiredAfter: now)
            #expect(first.count == 1 && first[0].retiredAt == nil)

            let (service, _) = try await makeUsersService(client: client)
            let accounts = service.accounts
            let anna = try await accounts.register(email: "anna@example.com", password: "correct horse battery", displayName: "Anna", locale: nil)
            #expect(try await accounts.verify(anna.accessToken).userID == anna.user.id)

            // `emporium keys rotate`: a new key signs after the next reload; the old one still verifies.
            let rotated = try await store.rotate(at: Date())
            try await service.keys.reload()
            #expect(try await service.keys.current() == rotated.key)
            let bob = try await accounts.register(email: "bob@example.com", password: "correct horse battery", displayName: "Bob", locale: nil)
            #expect(try await accounts.verify(bob.accessToken).userID == bob.user.id)
            #expect(try await accounts.verify(anna.accessToken).userID == anna.user.id)
            let jwks = try await service.keys.jwksJSON()
            #expect(jwks.contains(first[0].key.kid) && jwks.contains(rotated.key.kid))
            // Once the longest token it signed has expired, a retired key leaves the JWKS.
            #expect(try await store.keys(retiredAfter: Date().addingTimeInterval(1)).map(\.key.kid) == [rotated.key.kid])
        }
    }
}
