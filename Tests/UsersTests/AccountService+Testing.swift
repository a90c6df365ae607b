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
}
