import Contracts
import EmporiumCore
import ServiceKit

extension ServiceDescriptor {
    /// The users: accounts, sessions and shops (schema `users`). It signs access tokens with its
    /// own Ed25519 keys and publishes them at `/.well-known/jwks.json`.
    public static let users = ServiceDescriptor(
        name: "users",
        schema: UsersService.schemaName,
        migrations: { try UsersService.migrationSet() },
        sdl: UsersSchema.sdl,
        publishes: [Topics.usersAccount],
        commands: [KeysCommand.self, UsersCommand.self],
        start: { context in
            let cost = try context.settings.integer("EMPORIUM_BCRYPT_COST", in: PasswordHasher.costs) ?? PasswordHasher.defaultCost
            let admission = try context.rateLimiter.map { limiter in
                CredentialAdmission(
                    limiter: limiter,
                    perAccount: try context.settings.rateLimit("EMPORIUM_LOGIN_RATE_LIMIT_ACCOUNT") ?? CredentialAdmission.defaultPerAccount,
                    perClient: try context.settings.rateLimit("EMPORIUM_LOGIN_RATE_LIMIT_CLIENT") ?? CredentialAdmission.defaultPerClient)
            }
            let mail = AccountMail(publicURL: context.settings.string("EMPORIUM_PUBLIC_URL") ?? "http://127.0.0.1:8080")
            let service = try UsersService(
                client: context.postgres, mailer: context.mailer, mail: mail, hasher: try PasswordHasher(cost: cost), policy: context.tokenPolicy,
                admission: admission, logger: context.logger)
            // The keys load in the background, once migrations have run (``SigningKeyRing/run()``).
            return ServiceInstance(endpoint: service.endpoint, background: [service.keys], routes: [JWKSRoute(keys: service.keys).route], jwks: service.keys)
        }
    )
}
