import EmporiumCore
import Foundation

/// What a mailed token is for.
public enum MailTokenPurpose: String, Sendable {
    case passwordReset = "password_reset"
    case emailVerification = "email_verification"
    /// Sent to the address an account is moving to; carries that address until confirmed.
    case emailChange = "email_change"
}

/// Single-use tokens sent by mail, kept as SHA-256 hashes.
public protocol MailTokenStore: Sendable {
    /// `newEmail` for ``MailTokenPurpose/emailChange`` only: the address the account moves to.
    func issue(hash: [UInt8], user: UserID, email: Email, purpose: MailTokenPurpose, newEmail: Email?, at: Date, expiresAt: Date) async throws
    /// Uses the token once: the user it was for, or nil when it is unknown, used, expired, for
    /// another purpose, or for an address the account no longer has.
    func redeem(hash: [UInt8], purpose: MailTokenPurpose, at: Date) async throws -> UserID?
    func markEmailVerified(_ user: UserID, at: Date) async throws
    /// Uses an email-change token once and moves its account to the new address, confirmed, with
    /// `UserEmailChanged` in the same transaction. Nil when the token is unknown, used, expired,
    /// or the account's address changed since; `CONFLICT` when another account took the address.
    func changeEmail(hash: [UInt8], at: Date) async throws -> EmailChange?
}

/// An account that moved to another address, and the address it left (told of the move).
public struct EmailChange: Sendable, Equatable {
    public let user: UserID
    public let previousEmail: Email
}
