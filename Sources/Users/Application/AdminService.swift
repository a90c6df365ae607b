import EmporiumCore
import Foundation
import Identity
import Logging

/// What admins do with accounts: roles, suspensions, the list of users, the audit log. Every
/// change is written with its audit entry.
public struct AdminService: Sendable {
    public static let maximumPage = 100

    let store: any AdminStore
    let clock: any TimeSource
    let logger: Logger

    public init(store: any AdminStore, clock: any TimeSource = SystemTimeSource(), logger: Logger) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// Sets a user's roles exactly; everyone stays a buyer. An admin cannot drop their own admin
    /// role (the last admin would lock everyone out; another admin can).
    public func setRoles(_ roles: Set<Role>, of user: UserID, by principal: Principal?) async throws -> User {
        let admin = try Permissions.require(principal, anyOf: [.admin])
        if user == admin.userID, !roles.contains(.admin) {
            throw EmporiumError(.badUserInput, "you cannot remove your own admin role; ask another admin", field: "roles")
        }
        return try await found(store.setRoles(roles.union([.buyer]), of: user, by: admin.userID.rawValue, at: clock.now()), user)
    }

    /// Suspends an account: its sessions end now, its access tokens within their 15 minutes.
    public func suspend(_ user: UserID, reason: String, by principal: Principal?) async throws -> User {
        let admin = try Permissions.require(principal, anyOf: [.admin])
        guard user != admin.userID else { throw EmporiumError(.badUserInput, "you cannot suspend yourself", field: "userId") }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, TextRules.length(reason) <= 500 else {
            throw EmporiumError.badInput("a suspension needs a reason of 1 to 500 characters", field: "reason")
        }
        try TextRules.refuseControlCharacters(in: reason, field: "reason", allowingLineBreaks: true)
        let suspended = try await found(store.suspend(user, reason: reason, by: admin.userID.rawValue, at: clock.now()), user)
        logger.notice("account suspended", metadata: ["user.id": "\(user)", "admin.id": "\(admin.userID)"])
        return suspended
    }

    public func reinstate(_ user: UserID, by principal: Principal?) async throws -> User {
        let admin = try Permissions.require(principal, anyOf: [.admin])
        return try await found(store.reinstate(user, by: admin.userID.rawValue, at: clock.now()), user)
    }

    /// A page of users, newest first, and the cursor of the next page (nil on the last).
    public func users(first: Int?, after: String?, query: String?, by principal: Principal?) async throws -> (users: [User], next: String?) {
        _ = try Permissions.require(principal, anyOf: [.admin])
        let size = try Self.pageSize(first)
        var position: (createdAt: Date, id: UserID)?
        if let after {
            let cursor = try Cursor(decoding: after)
            guard cursor.values.count == 2, let micros = Int64(cursor.values[0]), UUIDText.parse(cursor.values[1]) != nil,
                  (0...(Int64(1) << 52)).contains(micros) else {
                throw EmporiumError.badInput("'\(after.prefix(64))' is not a cursor of this list", field: "after")
            }
            position = (Date(timeIntervalSince1970: Double(micros) / 1_000_000), UserID(cursor.values[1]))
        }
        let text = query?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let text { try TextRules.refuseControlCharacters(in: text, field: "query") }
        guard (text?.utf8.count ?? 0) <= 254 else { throw EmporiumError.badInput("a query has at most 254 bytes", field: "query") }
        let page = try await store.users(first: size + 1, after: position, query: text)
        let users = Array(page.prefix(size))
        let next = page.count > size ? users.last.map { user in
            Cursor([String(Int64((user.createdAt.timeIntervalSince1970 * 1_000_000).rounded())), user.id.rawValue]).encoded
        } : nil
        return (users, next)
    }

    public func auditLog(first: Int?, after: String?, by principal: Principal?) async throws -> (entries: [AuditEntry], next: String?) {
        _ = try Permissions.require(principal, anyOf: [.admin])
        let size = try Self.pageSize(first)
        var position: Int64?
        if let after {
            let cursor = try Cursor(decoding: after)
            guard cursor.values.count == 1, let id = Int64(cursor.values[0]), id > 0 else {
                throw EmporiumError.badInput("'\(after.prefix(64))' is not a cursor of the audit log", field: "after")
            }
            position = id
        }
        let page = try await store.auditLog(first: size + 1, after: position)
        let entries = Array(page.prefix(size))
        return (entries, page.count > size ? entries.last.map { Cursor([String($0.id)]).encoded } : nil)
    }

    static func pageSize(_ first: Int?) throws -> Int {
        let size = first ?? 20
        guard (1...maximumPage).contains(size) else { throw EmporiumError.badInput("first must be 1 to \(maximumPage)", field: "first") }
        return size
    }

    private func found(_ user: User?, _ id: UserID) throws -> User {
        guard let user else { throw EmporiumError(.notFound, "no user has the id '\(id.rawValue.prefix(64))'", field: "userId") }
        return user
    }
}
