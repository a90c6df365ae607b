import ArgumentParser
import Database
import Logging
import PostgresNIO
import Runtime

/// Runs a one-shot command against the configured database (or the private cluster, started
/// for the command and stopped after it). Failures are logged and turn into exit status 1.
func withDatabase(
    _ common: CommonOptions, label: String,
    _ body: @escaping @Sendable (PostgresClient, RuntimeConfiguration, Logger) async throws -> Void
) async throws {
    try await withProvisionedDatabase(common, label: label) { database, client, configuration, logger in
        try await body(client, configuration, logger)
    }
}

/// As ``withDatabase(_:label:_:)``, with where the database is (for PostgreSQL's own tools).
func withProvisionedDatabase(
    _ common: CommonOptions, label: String,
    _ body: @escaping @Sendable (DatabaseProvisioning, PostgresClient, RuntimeConfiguration, Logger) async throws -> Void
) async throws {
    let configuration = try common.configuration()
    _ = Bootstrap.process(logLevel: configuration.logLevel)
    let logger = Logger(label: label)
    let database = try await DatabaseProvisioning.provision(configuration, logger: logger)
    do {
        try await DatabaseSession.run(database.configuration, logger: logger) { client in
            try await body(database, client, configuration, logger)
        }
    } catch let exit as ExitCode {
        await database.cluster?.stop()
        throw exit
    } catch {
        await database.cluster?.stop()
        logger.critical("\(label) failed: \(String(reflecting: error))")
        throw ExitCode.failure
    }
    await database.cluster?.stop()
}
