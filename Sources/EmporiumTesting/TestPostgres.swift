import Database
import Foundation
import Logging
import PostgresNIO

/// One private PostgreSQL cluster per test process, started lazily on a free port under a
/// temporary directory and handed out as fresh databases, so that suites never share state.
/// The cluster's own watchdog stops it (and removes its directory) when the process exits,
/// however it exits.
public actor TestPostgres {
    public static let shared = TestPostgres()

    /// Warnings and errors only: the cluster's start and every migration log at info.
    public static var logger: Logger {
        var logger = Logger(label: "emporium.test.postgres")
        logger.logLevel = .warning
        return logger
    }

    /// Errors only: the default background logger of ``withPostgresClient(_:logger:_:)``.
    public static var clientLogger: Logger {
        var logger = Logger(label: "emporium.test.postgres.client")
        logger.logLevel = .error
        return logger
    }

    private var starting: Task<(PostgresCluster, PostgresEndpoint), any Error>?
    private var counter = 0

    /// The shared cluster, started on first use; throws (failing the test) with the install hint
    /// when PostgreSQL is missing.
    ///
    /// One start shared by every caller: the actor is reentrant across the `await`, so without the
    /// shared task each test that arrived meanwhile started a cluster of its own (a hundred
    /// `initdb`s at once stalled the whole suite for a minute on two cores).
    public func cluster() async throws -> (PostgresCluster, PostgresEndpoint) {
        try TestServers.admit("PostgreSQL")
        if self.starting == nil {
            // Unstructured on purpose: every concurrent caller awaits this one start (below).
            self.starting = Task {
                let directory = FileManager.default.temporaryDirectory
                    .appendingPathComponent("emporium-test-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
                let cluster = PostgresCluster(directory: directory, forTesting: true, removeOnExit: true, logger: Self.logger)
                return (cluster, try await cluster.start())
            }
        }
        return try await self.starting!.value
    }

    /// A new, empty database with `sets` migrated; returns a configuration for it.
    public func freshDatabase(named prefix: String = "test", migrations sets: [MigrationSet] = []) async throws -> PostgresClient.Configuration {
        let (endpoint, name) = try await self.createDatabase(prefix)
        var configuration = endpoint.clientConfiguration(database: name)
        configuration.options.maximumConnections = 10
        if !sets.isEmpty {
            try await withPostgresClient(configuration) { client in
                _ = try await Migrator(client: client, logger: Self.logger).migrate(sets)
            }
        }
        return configuration
    }

    /// A new, empty database as a `postgres://` URL, for child processes.
    public func freshDatabaseURL(named prefix: String = "test") async throws -> String {
        let (endpoint, name) = try await self.createDatabase(prefix)
        return endpoint.url(database: name)
    }

    private func createDatabase(_ prefix: String) async throws -> (PostgresEndpoint, String) {
        let (cluster, endpoint) = try await self.cluster()
        self.counter += 1
        let name = "\(prefix.lowercased().filter { $0.isLetter || $0.isNumber })_\(self.counter)_\(UInt32.random(in: 0...UInt32.max))"
        try await cluster.createDatabase(name)
        return (endpoint, name)
    }
}

/// Runs `body` with a running client for `configuration` (its `run()` in a child task, cancelled
/// afterwards). The default background logger shows errors only: PostgresNIO warns when a lease
/// races `run()` starting in the child task, which is harmless here.
public func withPostgresClient<Result: Sendable>(
    _ configuration: PostgresClient.Configuration, logger: Logger = TestPostgres.clientLogger,
    _ body: @Sendable (PostgresClient) async throws -> Result
) async throws -> Result {
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask {
            await client.run()
            return nil
        }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

/// Runs `body` with a client on a database created for it alone, with `sets` migrated.
public func withFreshDatabase<Result: Sendable>(
    named prefix: String = "test", migrations sets: [MigrationSet] = [],
    _ body: @Sendable (PostgresClient) async throws -> Result
) async throws -> Result {
    let configuration = try await TestPostgres.shared.freshDatabase(named: prefix, migrations: sets)
    return try await withPostgresClient(configuration, body)
}
