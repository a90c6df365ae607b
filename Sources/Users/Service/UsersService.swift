import Database
import EmporiumCore
import Foundation
import GraphQLSupport
import Identity
import Logging
import Mail
import Messaging
import PostgresNIO

/// Wires the users: PostgreSQL stores, the account use cases and the GraphQL subgraph endpoint.
public struct UsersService: Sendable {
    public static let schemaName = "users"

    public let accounts: AccountService
    public let admin: AdminService
    public let endpoint: SchemaEndpoint<UsersContext>

    public static var migrationsDirectory: URL {
        Bundle.module.url(forResource: "Migrations", withExtension: nil)!
    }

    /// The users' own migrations plus the messaging tables (the outbox of its events).
    public static func migrationSet() throws -> MigrationSet {
        let own = try MigrationSet.load(schema: schemaName, directory: migrationsDirectory)
        return try MigrationSet(schema: schemaName, migrations: own.migrations + [MessagingSchema.migration()])
    }

    /// The signing keys: load them (``SigningKeyRing/load()``) before serving, run them as a
    /// background service to follow rotations.
    public let keys: SigningKeyRing

    public init(
        users: any UserStore, sessions: any SessionStore, sellers: any SellerStore, mailTokens: any MailTokenStore, signingKeys: any SigningKeyStore,
        adminStore: any AdminStore, mailer: any Mailer, mail: AccountMail, hasher: PasswordHasher, policy: TokenPolicy = TokenPolicy(),
        admission: CredentialAdmission? = nil,
        clock: any TimeSource = SystemTimeSource(), logger: Logger
    ) throws {
        // A retired key verifies as long as a token it signed can live, plus the clock skew.
        let keys = SigningKeyRing(
            store: signingKeys, clock: clock, verifyingAfterRetirement: AccountService.accessTokenLifetime + policy.clockSkew, logger: logger)
        self.keys = keys
        let accounts = AccountService(
            users: users, sessions: sessions, sellers: sellers, mailTokens: mailTokens, mailer: mailer, mail: mail, hasher: hasher,
            signer: AccessTokenSigner(policy: policy), keys: keys, admission: admission, clock: clock, logger: logger)
        self.accounts = accounts
        let admin = AdminService(store: adminStore, clock: clock, logger: logger)
        self.admin = admin
        // Loads the list now rather than on the first registration; says so when it is missing.
        if CommonPasswords.all.isEmpty {
            logger.error("the list of common passwords is missing from the users module's resources; passwords are checked for length only — rebuild the binary")
        }
        endpoint = SchemaEndpoint(schema: try UsersSchema.build(), logger: logger) { info in
            UsersContext(principal: info.principal, accounts: accounts, admin: admin, clientKey: info.clientKey, responseHeaders: info.responseHeaders)
        }
    }

    public init(
        client: PostgresClient, mailer: any Mailer, mail: AccountMail, hasher: PasswordHasher, policy: TokenPolicy = TokenPolicy(),
        admission: CredentialAdmission? = nil, clock: any TimeSource = SystemTimeSource(), logger: Logger
    ) throws {
        try self.init(
            users: PostgresUserStore(client: client, logger: logger), sessions: PostgresSessionStore(client: client, logger: logger),
            sellers: PostgresSellerStore(client: client, logger: logger), mailTokens: PostgresMailTokenStore(client: client, logger: logger),
            signingKeys: PostgresSigningKeyStore(client: client, logger: logger), adminStore: PostgresAdminStore(client: client, logger: logger),
            mailer: mailer, mail: mail, hasher: hasher, policy: policy,
            admission: admission, clock: clock, logger: logger)
    }
}
