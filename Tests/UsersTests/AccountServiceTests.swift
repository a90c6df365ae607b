import EmporiumCore
import EmporiumTesting
import Foundation
import Identity
import Logging
import PostgresNIO
import Testing
@testable import Users

/// Accounts and sessions against a real PostgreSQL (a fresh database per test).
@Suite struct AccountServiceTests {
    static let password = "correct horse battery"

    func withAccounts(_ body: @Sendable (AccountService) async throws -> Void) async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users", migrations: [try UsersService.migrationSet()])
        let logger = Logger(label: "emporium.test.users")
        let tokens = try await TokenService(keys: .hmacSHA256(secret: String(repeating: "k", count: 32)))
        try await withPostgresClient(configuration, logger: logger) { client in
            let service = try UsersService(client: client, hasher: try PasswordHasher(cost: 4), tokens: tokens, logger: logger)
            try await body(service.accounts)
        }
    }

    func register(_ accounts: AccountService, _ email: String = "anna@example.com") async throws -> AuthPayload {
        try await accounts.register(email: email, password: Self.password, displayName: "Anna", locale: nil)
    }

    @Test func registeredUsersLogInAndGetVerifiableTokens() async throws {
        try await withAccounts { accounts in
            let registered = try await register(accounts, " Anna@Example.com ")
            #expect(registered.user.email.rawValue == "anna@example.com" && registered.user.roles == [.buyer] && registered.user.locale == .ru)
            let principal = try await accounts.tokens.verify(registered.accessToken)
            #expect(principal.userID == registered.user.id && principal.roles == [.buyer])
            let login = try await accounts.login(email: "ANNA@example.com", password: Self.password)
            #expect(login.user == registered.user && login.refreshToken != registered.refreshToken)
            #expect(try await accounts.me(principal) == registered.user)
        }
    }

    @Test func aTakenEmailConflictsAndWritesNothing() async throws {
        try await withAccounts { accounts in
            _ = try await register(accounts)
            await #expect { try await register(accounts, "ANNA@example.com") } throws: {
                ($0 as? EmporiumError)?.code == .conflict && ($0 as? EmporiumError)?.field == "input.email"
            }
            await #expect { try await accounts.register(email: "bob@example.com", password: "short", displayName: "Bob", locale: nil) } throws: {
                ($0 as? EmporiumError)?.field == "input.password"
            }
            // The refused registration wrote nothing: the address is still free.
            _ = try await register(accounts, "bob@example.com")
        }
    }

    @Test func unknownEmailsAndWrongPasswordsGetTheSameAnswer() async throws {
        try await withAccounts { accounts in
            _ = try await register(accounts)
            var messages: [String] = []
            for (email, password) in [("anna@example.com", "wrong password!"), ("nobody@example.com", Self.password), ("not an email", Self.password)] {
                do {
                    _ = try await accounts.login(email: email, password: password)
                    Issue.record("\(email) logged in")
                } catch let error as EmporiumError {
                    #expect(error.code == .unauthenticated)
                    messages.append(error.message)
                }
            }
            #expect(Set(messages).count == 1)
        }
    }

    @Test func refreshRotatesAndAReusedTokenEndsTheSession() async throws {
        try await withAccounts { accounts in
            let first = try await register(accounts)
            let second = try await accounts.refresh(first.refreshToken)
            #expect(second.refreshToken != first.refreshToken && second.user.id == first.user.id)
            // The used token comes back (a thief's copy): refused, and the session ends with it.
            await #expect { try await accounts.refresh(first.refreshToken) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            await #expect { try await accounts.refresh(second.refreshToken) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            // Other sessions are untouched; garbage is refused without a lookup.
            let other = try await accounts.login(email: "anna@example.com", password: Self.password)
            _ = try await accounts.refresh(other.refreshToken)
            await #expect { try await accounts.refresh("garbage") } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
        }
    }

    @Test func twentyConcurrentRefreshesWithOneTokenExactlyOneSucceeds() async throws {
        try await withAccounts { accounts in
            let session = try await register(accounts)
            let successes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<20 { group.addTask { (try? await accounts.refresh(session.refreshToken)) != nil } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(successes == 1)
        }
    }

    @Test func changingThePasswordEndsEverySessionAndStartsANewOne() async throws {
        try await withAccounts { accounts in
            let first = try await register(accounts)
            let phone = try await accounts.login(email: "anna@example.com", password: Self.password)
            let principal = try await accounts.tokens.verify(first.accessToken)
            await #expect { try await accounts.changePassword(current: "wrong password!", new: "another good one", by: principal) } throws: {
                ($0 as? EmporiumError)?.field == "currentPassword"
            }
            let fresh = try await accounts.changePassword(current: Self.password, new: "another good one", by: principal)
            for ended in [first.refreshToken, phone.refreshToken] {
                await #expect { try await accounts.refresh(ended) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            }
            _ = try await accounts.refresh(fresh.refreshToken)
            await #expect { try await accounts.login(email: "anna@example.com", password: Self.password) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            _ = try await accounts.login(email: "anna@example.com", password: "another good one")
        }
    }

    @Test func logoutEndsOneSessionAndLogoutEverywhereAll() async throws {
        try await withAccounts { accounts in
            let first = try await register(accounts)
            let second = try await accounts.login(email: "anna@example.com", password: Self.password)
            let third = try await accounts.login(email: "anna@example.com", password: Self.password)
            try await accounts.logout(first.refreshToken)
            try await accounts.logout(first.refreshToken)  // twice is fine
            await #expect { try await accounts.refresh(first.refreshToken) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            let principal = try await accounts.tokens.verify(second.accessToken)
            #expect(try await accounts.logoutEverywhere(by: principal) == 2)
            for ended in [second.refreshToken, third.refreshToken] {
                await #expect { try await accounts.refresh(ended) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            }
            await #expect { try await accounts.logoutEverywhere(by: nil) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
        }
    }
}
