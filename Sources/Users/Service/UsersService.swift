import Database
import EmporiumCore
import Foundation
import GraphQLSupport
import Identity
import Logging
import Mail
import PostgresNIO

/// Wires the users: PostgreSQL stores, the account use cases and the GraphQL subgraph endpoint.
public struct UsersService: Sendable {
    public static let schemaName = "users"

    public let accounts: AccountService
    public let endpoint: SchemaEndpoint<UsersContext>

    public static var migrationsDirectory: URL {
        Bundle.module.url(forResource: "Migrations", withExtension: nil)!
    }

    public static func migrationSet() throws -> MigrationSet {
        try MigrationSet.load(schema: schemaName, directory: migrationsDirectory)
    }

    public init(
        users: any UserStore, sessions: any SessionStore, sellers: any SellerStore, mailTokens: any MailTokenStore, mailer: any Mailer,
        mail: AccountMail, hasher: PasswordHasher, tokens: TokenService, admission: CredentialAdmission? = nil,
        clock: any TimeSource = SystemTimeSource(), logger: Logger
    ) throws {
        let accounts = AccountService(
            users: users, sessions: sessions, sellers: sellers, mailTokens: mailTokens, mailer: mailer, mail: mail, hasher: hasher, tokens: tokens, admission: admission, clock: clock, logger: logger)
        self.accounts = accounts
        endpoint = SchemaEndpoint(schema: try UsersSchema.build(), logger: logger) { info in
            UsersContext(principal: info.principal, accounts: accounts, clientKey: info.clientKey, responseHeaders: info.responseHeaders)
        }
    }

    public init(
        client: PostgresClient, mailer: any Mailer, mail: AccountMail, hasher: PasswordHasher, tokens: TokenService,
        admission: CredentialAdmission? = nil, clock: any TimeSource = SystemTimeSource(), logger: Logger
    ) throws {
        try self.init(
            users: PostgresUserStore(client: client, logger: logger), sessions: PostgresSessionStore(client: client, logger: logger),
            sellers: PostgresSellerStore(client: client, logger: logger), mailTokens: PostgresMailTokenStore(client: client, logger: logger),
            mailer: mailer, mail: mail,
            hasher: hasher, tokens: tokens, admission: admission, clock: clock, logger: logger)
    }
}
