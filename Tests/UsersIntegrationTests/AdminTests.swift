import EmporiumCore
import EmporiumTesting
import Foundation
import Identity
import Logging
import Testing
@testable import Users

/// What admins do, on a real PostgreSQL: roles, suspensions, the user list, the audit log.
@Suite struct AdminTests {
    @Test func adminsManageRolesAndSuspensionsAndEveryChangeIsAudited() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users_admin", migrations: [try UsersService.migrationSet()])
        let logger = Logger(label: "test")
        try await withPostgresClient(configuration, logger: logger) { client in
            let (service, _) = try await makeUsersService(client: client)
            let (accounts, admin) = (service.accounts, service.admin)
            let password = "correct horse battery"
            let root = try await accounts.register(email: "root@example.com", password: password, displayName: "Root", locale: nil)
            let bob = try await accounts.register(email: "bob@example.com", password: password, displayName: "Bob", locale: nil)
            _ = try await accounts.register(email: "carla@example.com", password: password, displayName: "Bo Carla", locale: nil)

            // The first admin comes from `emporium users grant-admin`.
            let store = PostgresAdminStore(client: client, logger: logger)
            #expect(try await store.grantAdmin(email: try Email(parsing: "ROOT@example.com"), at: Date())?.roles == [.buyer, .admin])
            #expect(try await store.grantAdmin(email: try Email(parsing: "nobody@example.com"), at: Date()) == nil)
            let rootToken = try await accounts.login(email: "root@example.com", password: password).accessToken
            let asAdmin = try await accounts.verify(rootToken)
            let asBob = try await accounts.verify(bob.accessToken)

            #expect(try await admin.setRoles([.seller], of: bob.user.id, by: asAdmin).roles == [.buyer, .seller])
            await #expect { try await admin.setRoles([.admin], of: bob.user.id, by: asBob) } throws: { ($0 as? EmporiumError)?.code == .forbidden }
            await #expect { try await admin.setRoles([.buyer], of: root.user.id, by: asAdmin) } throws: { ($0 as? EmporiumError)?.field == "roles" }
            await #expect { try await admin.setRoles([.buyer], of: UserID(UUIDText.lowercase(UUID())), by: asAdmin) } throws: { ($0 as? EmporiumError)?.code == .notFound }

            // A suspension ends Bob's sessions and logins; the reason is required.
            await #expect { try await admin.suspend(bob.user.id, reason: "  ", by: asAdmin) } throws: { ($0 as? EmporiumError)?.field == "reason" }
            #expect(try await admin.suspend(bob.user.id, reason: "chargebacks", by: asAdmin).isSuspended)
            await #expect { try await accounts.refresh(bob.refreshToken) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            await #expect { try await accounts.login(email: "bob@example.com", password: password) } throws: { ($0 as? EmporiumError)?.code == .forbidden }
            await #expect { try await accounts.login(email: "bob@example.com", password: "not the password") } throws: {
                ($0 as? EmporiumError)?.code == .unauthenticated
            }
            #expect(try await admin.reinstate(bob.user.id, by: asAdmin).isSuspended == false)
            _ = try await accounts.login(email: "bob@example.com", password: password)

            // Users, newest first, by pages; a prefix query is data, not a pattern.
            let first = try await admin.users(first: 2, after: nil, query: nil, by: asAdmin)
            #expect(first.users.map(\.displayName) == ["Bo Carla", "Bob"])
            let second = try await admin.users(first: 2, after: first.next, query: nil, by: asAdmin)
            #expect(second.users.map(\.displayName) == ["Root"] && second.next == nil)
            #expect(try await admin.users(first: 10, after: nil, query: "BO", by: asAdmin).users.count == 2)
            #expect(try await admin.users(first: 10, after: nil, query: "%", by: asAdmin).users.isEmpty)
            for bad in ["garbage", Cursor(["1", "2", "3"]).encoded, Cursor(["-5", UUIDText.lowercase(UUID())]).encoded] {
                await #expect { try await admin.users(first: 10, after: bad, query: nil, by: asAdmin) } throws: { ($0 as? EmporiumError)?.field == "after" }
            }
            await #expect { try await admin.users(first: 101, after: nil, query: nil, by: asAdmin) } throws: { ($0 as? EmporiumError)?.field == "first" }
            await #expect { try await admin.users(first: 10, after: nil, query: nil, by: asBob) } throws: { ($0 as? EmporiumError)?.code == .forbidden }

            // The audit log, newest first: the CLI's grant, then the admin's actions.
            let log = try await admin.auditLog(first: 3, after: nil, by: asAdmin)
            #expect(log.entries.map(\.action) == ["reinstate", "suspend", "set_roles"])
            #expect(log.entries[1].detail == "chargebacks" && log.entries[1].actor == root.user.id.rawValue && log.entries[1].subject == bob.user.id)
            let older = try await admin.auditLog(first: 3, after: log.next, by: asAdmin)
            #expect(older.entries.map(\.actor) == ["cli"] && older.next == nil)
        }
    }
}
