import ArgumentParser
import EmporiumCore
import Foundation
import ServiceKit

/// `emporium users grant-admin EMAIL`: makes the first admin (later ones are made by admins,
/// through `setUserRoles`). Written to the audit log with `cli` as the actor.
struct UsersCommand: ServiceCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Administer accounts from the command line (grant-admin EMAIL)."
    )

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case grantAdmin = "grant-admin"
    }

    @Argument(help: "grant-admin")
    var action: Action

    @Argument(help: "The account's email.")
    var email: String

    func run(in context: ServiceContext) async throws {
        let email = try Email(parsing: email)
        let store = PostgresAdminStore(client: context.postgres, logger: context.logger)
        guard let user = try await store.grantAdmin(email: email, at: Date()) else {
            throw ValidationError("no account has the email \(email); register it first")
        }
        print("\(user.email) (\(user.id)) is an admin now; tokens issued from its next login or refresh carry the role.")
    }
}
