import EmporiumCore
import Foundation

/// What a mailed token is for.
public enum MailTokenPurpose: String, Sendable {
    case passwordReset = "password_reset"
    case emailVerification = "email_verification"
}

/// Single-use tokens sent by mail, kept as SHA-256 hashes.
public protocol MailTokenStore: Sendable {
    func issue(hash: [UInt8], user: UserID, email: Email, purpose: MailTokenPurpose, at: Date, expiresAt: Date) async throws
    /// Uses the token once: the user it was for, or nil when it is unknown, used, expired, for
    /// another purpose, or for an address the account no longer has.
    func redeem(hash: [UInt8], purpose: MailTokenPurpose, at: Date) async throws -> UserID?
    func markEmailVerified(_ user: UserID, at: Date) async throws
}
