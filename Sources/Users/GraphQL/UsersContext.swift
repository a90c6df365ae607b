import GraphQLSupport
import Identity

/// Per-request state for the users' resolvers.
public struct UsersContext: Sendable {
    public let principal: Principal?
    public let accounts: AccountService
    public let admin: AdminService
    /// The client's rate-limiting key and the response's headers, for sign-in limits.
    public let attempt: AccountService.Attempt

    public init(principal: Principal?, accounts: AccountService, admin: AdminService, clientKey: String = "ip:unknown", responseHeaders: ResponseHeaders = ResponseHeaders()) {
        self.principal = principal
        self.accounts = accounts
        self.admin = admin
        attempt = AccountService.Attempt(client: clientKey) { name, value in responseHeaders.set(name, value) }
    }
}
