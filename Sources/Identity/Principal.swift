public import EmporiumCore

/// The authenticated caller of a request, taken from a verified token.
public struct Principal: Sendable, Hashable {
    public let userID: UserID
    public let roles: Set<Role>

    public init(userID: UserID, roles: Set<Role>) {
        self.userID = userID
        self.roles = roles
    }

    public var isAdmin: Bool { roles.contains(.admin) }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
}

/// Permission rules shared by every service, so that "who may change what" reads the same way
/// everywhere.
public enum Permissions {
    /// Requires a caller at all: `UNAUTHENTICATED` otherwise.
    public static func requireAuthenticated(_ principal: Principal?) throws -> Principal {
        guard let principal else {
            throw EmporiumError(.unauthenticated, "this operation requires a bearer token (Authorization: Bearer <jwt>)")
        }
        return principal
    }

    /// Requires one of the given roles; admins always pass.
    public static func require(_ principal: Principal?, anyOf roles: Set<Role>) throws -> Principal {
        let principal = try requireAuthenticated(principal)
        guard principal.isAdmin || !principal.roles.isDisjoint(with: roles) else {
            let names = roles.map(\.rawValue).sorted().joined(separator: " or ")
            throw EmporiumError(.forbidden, "this operation requires the \(names) role")
        }
        return principal
    }

    /// A user's own records (their orders, their data): the user themself and admins.
    public static func requireSelfOrAdmin(_ principal: Principal?, user: UserID, what: String) throws -> Principal {
        let principal = try requireAuthenticated(principal)
        guard principal.isAdmin || principal.userID == user else {
            throw EmporiumError(.forbidden, "only the user themself and admins may read their \(what)")
        }
        return principal
    }

    /// Sellers may change only what they own; admins may change anything.
    public static func requireOwner(_ principal: Principal?, owner: UserID, what: String) throws -> Principal {
        let principal = try require(principal, anyOf: [.seller])
        guard principal.isAdmin || principal.userID == owner else {
            throw EmporiumError(.forbidden, "you may only change your own \(what)")
        }
        return principal
    }
}
