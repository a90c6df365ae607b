import EmporiumCore
import EmporiumTesting
import Foundation
import Identity
import Logging
import Mail
import PostgresNIO
import RateLimiting
import Synchronization
import Testing
@testable import Users

/// Accounts and sessions against a real PostgreSQL (a fresh database per test).
@Suite struct AccountServiceTests {
    static let password = "correct horse battery"

    func withAccounts(_ body: @Sendable (AccountService) async throws -> Void) async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users", migrations: [try UsersService.migrationSet()])
        let logger = Logger(label: "emporium.test.users")
        try await withPostgresClient(configuration, logger: logger) { client in
            try await body(try await makeUsersService(client: client).service.accounts)
        }
    }

    func register(_ accounts: AccountService, _ email: String = "anna@example.com") async throws -> AuthPayload {
        try await accounts.register(email: email, password: Self.password, displayName: "Anna", locale: nil)
    }

    @Test func registeredUsersLogInAndGetVerifiableTokens() async throws {
        try await withAccounts { accounts in
            let registered = try await register(accounts, " Anna@Example.com ")
            #expect(registered.user.email.rawValue == "anna@example.com" && registered.user.roles == [.buyer] && registered.user.locale == .ru)
            let principal = try await accounts.verify(registered.accessToken)
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
            let principal = try await accounts.verify(first.accessToken)
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

    @Test func becomingASellerAddsTheRoleAClaimedSlugAndANewSession() async throws {
        try await withAccounts { accounts in
            let anna = try await register(accounts)
            let bob = try await register(accounts, "bob@example.com")
            let annaPrincipal = try await accounts.verify(anna.accessToken)
            let (shop, auth) = try await accounts.becomeSeller(shopName: "  Книжная лавка ", by: annaPrincipal)
            #expect(shop.shopName == "Книжная лавка" && shop.slug.rawValue == "knizhnaya-lavka" && shop.id == anna.user.id)
            #expect(try await accounts.verify(auth.accessToken).roles == [.buyer, .seller])
            // The same name for another shop gets the next free slug; a second shop is refused.
            let (bobShop, _) = try await accounts.becomeSeller(shopName: "Книжная Лавка", by: try await accounts.verify(bob.accessToken))
            #expect(bobShop.slug.rawValue == "knizhnaya-lavka-2")
            await #expect { try await accounts.becomeSeller(shopName: "Ещё одна", by: annaPrincipal) } throws: { ($0 as? EmporiumError)?.code == .conflict }
            await #expect { try await accounts.becomeSeller(shopName: "  ", by: annaPrincipal) } throws: { ($0 as? EmporiumError)?.field == "input.shopName" }
            await #expect { try await accounts.becomeSeller(shopName: "Shop", by: nil) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            // A refreshed session of the old login carries the role too: roles are read at refresh.
            #expect(try await accounts.verify(try await accounts.refresh(anna.refreshToken).accessToken).roles.contains(.seller))
            #expect(try await accounts.sellers(ids: [anna.user.id, UserID("nobody")]).keys.sorted { $0.rawValue < $1.rawValue } == [anna.user.id])
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
            let principal = try await accounts.verify(second.accessToken)
            #expect(try await accounts.logoutEverywhere(by: principal) == 2)
            for ended in [second.refreshToken, third.refreshToken] {
                await #expect { try await accounts.refresh(ended) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            }
            await #expect { try await accounts.logoutEverywhere(by: nil) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
        }
    }
}

/// Sign-in limits on a real limiter: per account and per client, `RATE_LIMITED` with
/// `Retry-After`, no password hash spent on a refused attempt.
@Suite struct CredentialAdmissionTests {
    @Test func loginsAreLimitedPerAccountAndPerClient() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users_limits", migrations: [try UsersService.migrationSet()])
        let logger = Logger(label: "emporium.test.users")
        let admission = CredentialAdmission(
            limiter: InMemoryRateLimiter(), perAccount: RateLimit(limit: 3, window: .seconds(60)), perClient: RateLimit(limit: 6, window: .seconds(60)))
        try await withPostgresClient(configuration, logger: logger) { client in
            let accounts = try await makeUsersService(client: client, admission: admission).service.accounts
            let headers = HeaderLog()
            let attacker = AccountService.Attempt(client: "ip:203.0.113.9") { headers.add($0, $1) }
            _ = try await accounts.register(email: "anna@example.com", password: "correct horse battery", displayName: "Anna", locale: nil, attempt: attacker)
            // Three wrong guesses for Anna (a differently written email is the same account)...
            for email in ["anna@example.com", "ANNA@example.com", " anna@example.com"] {
                await #expect { try await accounts.login(email: email, password: "guess guess guess", attempt: attacker) } throws: {
                    ($0 as? EmporiumError)?.code == .unauthenticated
                }
            }
            // ...then even the right password is refused for a while, with Retry-After.
            await #expect { try await accounts.login(email: "anna@example.com", password: "correct horse battery", attempt: attacker) } throws: {
                ($0 as? EmporiumError)?.code == .rateLimited
            }
            #expect(headers.names.contains("Retry-After"))
            // Another account from the same client still works, until the client's limit (6).
            _ = try await accounts.register(email: "bob@example.com", password: "correct horse battery", displayName: "Bob", locale: nil, attempt: attacker)
            await #expect { try await accounts.login(email: "carl@example.com", password: "whatever whatever", attempt: attacker) } throws: {
                ($0 as? EmporiumError)?.code == .rateLimited
            }
            // Another client is not affected by the first one's limit, only by the account's.
            let other = AccountService.Attempt(client: "ip:198.51.100.1")
            _ = try await accounts.login(email: "bob@example.com", password: "correct horse battery", attempt: other)
            await #expect { try await accounts.login(email: "anna@example.com", password: "correct horse battery", attempt: other) } throws: {
                ($0 as? EmporiumError)?.code == .rateLimited
            }
        }
    }
}

/// Headers a use case set, collected from any task.
final class HeaderLog: Sendable {
    private let storage = Mutex<[String]>([])
    func add(_ name: String, _ value: String) { storage.withLock { $0.append(name) } }
    var names: [String] { storage.withLock { $0 } }
}

/// Password reset and email confirmation through the mail a user would receive.
@Suite struct MailedTokenTests {
    /// The token in the newest mail to `email`, once it has been written.
    static func token(in mailbox: FileMailer, after count: Int, timeout: Duration = .seconds(10)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let messages = try mailbox.messages()
            if messages.count > count, let line = messages.last?.text.split(separator: "\n").first(where: { $0.contains("?token=") }) {
                return String(line.split(separator: "=").last ?? "")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw EmporiumError(.internalError, "no mail within \(timeout)")
    }

    @Test func aMailedTokenResetsThePasswordOnceAndEndsEverySession() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users_reset", migrations: [try UsersService.migrationSet()])
        try await withPostgresClient(configuration, logger: Logger(label: "test")) { client in
            let (service, mailbox) = try await makeUsersService(client: client)
            let accounts = service.accounts
            let anna = try await accounts.register(email: "anna@example.com", password: "correct horse battery", displayName: "Анна", locale: nil)
            // Registration mailed a confirmation (in Russian, the default language).
            let confirm = try await Self.token(in: mailbox, after: 0)
            #expect(try mailbox.messages()[0].text.contains("Подтвердите"))
            #expect(try await accounts.verifyEmail(token: confirm).isEmailVerified)
            await #expect { try await accounts.verifyEmail(token: confirm) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }

            // An unknown email gets the same answer and no mail.
            try await accounts.requestPasswordReset(email: "nobody@example.com", attempt: AccountService.testAttempt)
            try await accounts.requestPasswordReset(email: "ANNA@example.com", attempt: AccountService.testAttempt)
            let reset = try await Self.token(in: mailbox, after: 1)
            try await Task.sleep(for: .milliseconds(200))
            #expect(try mailbox.messages().count == 2)
            #expect(try mailbox.messages()[1].text.contains("https://shop.example/account/reset-password?token=\(reset)"))

            await #expect { try await accounts.resetPassword(token: reset, newPassword: "short") } throws: { ($0 as? EmporiumError)?.field == "newPassword" }
            try await accounts.resetPassword(token: reset, newPassword: "a brand new passphrase")
            await #expect { try await accounts.resetPassword(token: reset, newPassword: "yet another passphrase") } throws: {
                ($0 as? EmporiumError)?.code == .unauthenticated
            }
            await #expect { try await accounts.refresh(anna.refreshToken) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            _ = try await accounts.login(email: "anna@example.com", password: "a brand new passphrase")
            await #expect { try await accounts.resetPassword(token: "garbage", newPassword: "a brand new passphrase") } throws: {
                ($0 as? EmporiumError)?.code == .unauthenticated
            }
        }
    }
}
