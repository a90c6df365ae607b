import Database
import Foundation
import Logging
import PostgresNIO

/// Where the database comes from: a URL, or a private cluster this process starts and stops.
public struct DatabaseProvisioning: Sendable {
    public let configuration: PostgresClient.Configuration
    /// Set when `emporium` started a private cluster; stop it after the server has drained.
    public let cluster: PostgresCluster?
    /// A URL for humans (password redacted).
    public let displayURL: String

    public static let applicationDatabase = "emporium"

    public static func provision(_ runtime: RuntimeConfiguration, logger: Logger) async throws -> DatabaseProvisioning {
        if let url = runtime.databaseURL {
            let parsed = try DatabaseURL(url)
            return DatabaseProvisioning(configuration: parsed.configuration, cluster: nil, displayURL: RuntimeConfiguration.redactPassword(url))
        }
        let directory = URL(fileURLWithPath: runtime.dataDirectory).appendingPathComponent("postgres").path
        let cluster = PostgresCluster(directory: directory, logger: logger)
        let endpoint = try await cluster.start()
        // The application gets its own database rather than the maintenance one.
        try await cluster.createDatabase(applicationDatabase)
        let url = endpoint.url(database: applicationDatabase)
        logger.info("private PostgreSQL cluster is running", metadata: ["postgres.directory": "\(directory)", "postgres.url": "\(url)"])
        return DatabaseProvisioning(configuration: endpoint.clientConfiguration(database: applicationDatabase), cluster: cluster, displayURL: url)
    }
}
