import EmporiumCore
import Foundation
import Mail
import ServiceKit

extension ServiceDescriptor {
    /// The users: accounts and sessions (schema `users`). It issues access tokens, so the process
    /// needs a signing key (the single node's development secret, or `EMPORIUM_JWT_PRIVATE_KEY`).
    public static let users = ServiceDescriptor(
        name: "users",
        schema: UsersService.schemaName,
        migrations: { try UsersService.migrationSet() },
        sdl: UsersSchema.sdl,
        start: { context in
            guard let tokens = context.tokens else {
                throw EmporiumError(.internalError, "the users service issues tokens: it needs the process's token service")
            }
            let cost = try context.settings.integer("EMPORIUM_BCRYPT_COST", in: PasswordHasher.costs) ?? PasswordHasher.defaultCost
            let admission = try context.rateLimiter.map { limiter in
                CredentialAdmission(
                    limiter: limiter,
                    perAccount: try context.settings.rateLimit("EMPORIUM_LOGIN_RATE_LIMIT_ACCOUNT") ?? CredentialAdmission.defaultPerAccount,
                    perClient: try context.settings.rateLimit("EMPORIUM_LOGIN_RATE_LIMIT_CLIENT") ?? CredentialAdmission.defaultPerClient)
            }
            // Mail goes to files until an SMTP adapter exists (docs/users.md).
            let dataDirectory = context.settings.string("EMPORIUM_DATA_DIR") ?? ".emporium"
            let mailDirectory = context.settings.string("EMPORIUM_MAIL_DIR") ?? dataDirectory + "/mail"
            let mailer = FileMailer(directory: URL(fileURLWithPath: mailDirectory), logger: context.logger)
            let mail = AccountMail(publicURL: context.settings.string("EMPORIUM_PUBLIC_URL") ?? "http://127.0.0.1:8080")
            let service = try UsersService(
                client: context.postgres, mailer: mailer, mail: mail, hasher: try PasswordHasher(cost: cost), tokens: tokens, admission: admission,
                logger: context.logger)
            return ServiceInstance(endpoint: service.endpoint)
        }
    )
}
