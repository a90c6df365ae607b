import Foundation
import Identity
import Logging
import Mail
import PostgresNIO
@testable import Users

/// The use cases as one client calls them, for tests that are not about rate limits.
extension AccountService {
    static let testAttempt = Attempt(client: "ip:test")

    func register(email: String, password: String, displayName: String, locale: String?) async throws -> AuthPayload {
        try await register(email: email, password: password, displayName: displayName, locale: locale, attempt: Self.testAttempt)
    }

    func login(email: String, password: String) async throws -> AuthPayload {
        try await login(email: email, password: password, attempt: Self.testAttempt)
    }

    func refresh(_ token: String) async throws -> AuthPayload {
        try await refresh(token, attempt: Self.testAttempt)
    }

    /// Checks an access token as any other service would: against the users' JWKS.
    func verify(_ accessToken: String) async throws -> Principal {
        let verifier = try await TokenService(keys: .hmacSHA256(secret: String(repeating: "k", count: 32)), jwks: keys)
        return try await verifier.verify(accessToken)
    }
}

/// A users service on `client` for tests: bcrypt at cost 4, mail written to a fresh directory.
func makeUsersService(client: PostgresClient, admission: CredentialAdmission? = nil) async throws -> (service: UsersService, mailbox: FileMailer) {
    let logger = Logger(label: "emporium.test.users")
    let mailbox = FileMailer(directory: FileManager.default.temporaryDirectory.appendingPathComponent("emporium-mail-\(UUID())"), logger: logger)
    let service = try UsersService(
        client: client, mailer: mailbox, mail: AccountMail(publicURL: "https://shop.example/"), hasher: try PasswordHasher(cost: 4),
        admission: admission, logger: logger)
    try await service.keys.load()
    return (service, mailbox)
}
