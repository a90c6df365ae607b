import EmporiumCore
import Foundation

/// Accounts, with the password hash only where a credential is checked.
public protocol UserStore: Sendable {
    /// Throws `CONFLICT` when the email is taken. Answers the account as stored (times at the
    /// database's precision), so that it equals every later read.
    func create(_ user: User, passwordHash: String) async throws -> User
    func credentials(email: Email) async throws -> (user: User, passwordHash: String)?
    func credentials(id: UserID) async throws -> (user: User, passwordHash: String)?
    func users(ids: [UserID]) async throws -> [UserID: User]
    func setPasswordHash(_ hash: String, for id: UserID, at: Date) async throws
    /// Sets the language of notifications and mail, with `UserLocaleChanged` in the same
    /// transaction when it changed; answers the account as stored.
    func setLocale(_ locale: UserLocale, for id: UserID, at: Date) async throws -> User?
    /// Erases the account's personal data in one transaction: email and name replaced, password
    /// unusable, roles gone, sessions ended, shop and mailed tokens deleted, `UserDeleted` in the
    /// outbox. The row stays (with its id) for what other services keep referring to.
    func erase(_ id: UserID, at: Date) async throws
    /// Everything kept about the account besides the credentials, as JSON text (for the user).
    func export(_ id: UserID) async throws -> String?
}

/// Sessions: one per login, each a family of refresh tokens of which only the newest is good.
/// Tokens are kept as SHA-256 hashes; the store never sees a token itself.
public protocol SessionStore: Sendable {
    func start(session: UUID, user: UserID, tokenHash: [UInt8], at: Date, expiresAt: Date) async throws
    /// Replaces a current token by a new one in one step, or says why it cannot.
    func rotate(tokenHash: [UInt8], to newHash: [UInt8], at: Date, expiresAt: Date) async throws -> RotationOutcome
    /// Ends the session a token belongs to; false when the token is unknown.
    func endSession(tokenHash: [UInt8], at: Date) async throws -> Bool
    /// Ends every session of a user; returns how many were open.
    func endSessions(of user: UserID, at: Date, reason: String) async throws -> Int
}

public enum RotationOutcome: Sendable, Equatable {
    case rotated(user: UserID, session: UUID)
    /// The token was already used: the whole session was ended (it may have been stolen).
    case reused(user: UserID, session: UUID)
    /// Unknown, expired, or its session already ended.
    case refused
}
