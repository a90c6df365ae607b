import EmporiumCore
import Foundation
import Identity

/// One admin action, as the audit log keeps it.
public struct AuditEntry: Sendable, Equatable {
    public let id: Int64
    public let actor: String
    public let action: String
    public let subject: UserID?
    public let detail: String
    public let at: Date
}

/// What admins change, each change written with its audit entry in one transaction.
public protocol AdminStore: Sendable {
    /// nil when there is no such user.
    func setRoles(_ roles: Set<Role>, of user: UserID, by actor: String, at: Date) async throws -> User?
    /// Suspends and ends every session; nil when there is no such user.
    func suspend(_ user: UserID, reason: String, by actor: String, at: Date) async throws -> User?
    func reinstate(_ user: UserID, by actor: String, at: Date) async throws -> User?
    /// Newest first; `after` is the last user of the previous page; `query` matches the start of
    /// the email or display name, case-insensitively.
    func users(first: Int, after: (createdAt: Date, id: UserID)?, query: String?) async throws -> [User]
    /// Newest first, entries older than `after`.
    func auditLog(first: Int, after: Int64?) async throws -> [AuditEntry]
}
