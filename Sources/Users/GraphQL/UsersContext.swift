import EmporiumCore
import GraphQLSupport
import Identity
import Synchronization

/// Per-request state for the users' resolvers.
public struct UsersContext: Sendable {
    public let principal: Principal?
    public let accounts: AccountService
    public let admin: AdminService
    /// The client's rate-limiting key and the response's headers, for sign-in limits.
    public let attempt: AccountService.Attempt
    /// Accounts this answer is about on their own behalf (the user of an `AuthPayload`): their
    /// private fields show although the request came without a token.
    let ownAccounts = OwnAccounts()

    public init(principal: Principal?, accounts: AccountService, admin: AdminService, clientKey: String = "ip:unknown", responseHeaders: ResponseHeaders = ResponseHeaders()) {
        self.principal = principal
        self.accounts = accounts
        self.admin = admin
        attempt = AccountService.Attempt(client: clientKey) { name, value in responseHeaders.set(name, value) }
    }
}

/// The ids of accounts an answer may show in full, gathered while it is resolved.
final class OwnAccounts: Sendable {
    private let ids = Mutex<Set<UserID>>([])

    func add(_ id: UserID) { ids.withLock { _ = $0.insert(id) } }
    func contains(_ id: UserID) -> Bool { ids.withLock { $0.contains(id) } }
}
