import GraphQLSupport
import Identity

/// Per-request state for the users' resolvers.
public struct UsersContext: Sendable {
    public let principal: Principal?
    public let accounts: AccountService

    public init(principal: Principal?, accounts: AccountService) {
        self.principal = principal
        self.accounts = accounts
    }
}
