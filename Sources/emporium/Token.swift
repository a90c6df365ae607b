import ArgumentParser
import EmporiumCore
import Identity
import Logging
import Runtime

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a signed JWT for development (uses the configured secret or private key)."
    )

    @Option(help: "The user id (the token's subject).")
    var user: String

    @Option(name: .customLong("role"), help: "A role: buyer, seller or admin. Repeat for several.")
    var roles: [String] = ["buyer"]

    @Option(help: "Validity in seconds, at most EMPORIUM_JWT_MAX_LIFETIME (default 86400).")
    var validFor: Int = 86_400

    @Option(help: "Data directory holding the development secret (EMPORIUM_DATA_DIR).")
    var dataDir: String?

    func validate() throws {
        guard !user.isEmpty else { throw ValidationError("--user must not be empty") }
        for role in roles where Role(rawValue: role) == nil {
            throw ValidationError("unknown role '\(role)'; use buyer, seller or admin")
        }
        guard validFor > 0 else { throw ValidationError("--valid-for must be positive") }
    }

    func run() async throws {
        var configuration = try RuntimeConfiguration.fromEnvironment()
        if let dataDir { configuration.dataDirectory = dataDir }
        let logger = Logger(label: "emporium.token")
        let service = try await configuration.tokenService(logger: logger)
        let token = try await service.issue(
            userID: UserID(user), roles: Set(roles.compactMap(Role.init(rawValue:))), validFor: .seconds(validFor)
        )
        print(token)
    }
}
