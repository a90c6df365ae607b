import Database
import Foundation
import Logging
import PostgresNIO

/// One private PostgreSQL cluster per test process, started lazily on a free port under a
/// temporary directory and handed out as fresh databases, so that suites never share state.
public actor TestPostgres {
    public static let shared = TestPostgres()

    private var cluster: PostgresCluster?
    private var starting: Task<(PostgresCluster, PostgresEndpoint), any Error>?
    private var counter = 0
    private let logger = Logger(label: "emporium.test.postgres")

    /// A new, empty database with `sets` migrated; returns a configuration for it.
    public func freshDatabase(named prefix: String = "test", migrations sets: [MigrationSet] = []) async throws -> PostgresClient.Configuration {
        let endpoint = try await start()
        counter += 1
        let name = "\(prefix.lowercased().filter { $0.isLetter || $0.isNumber })_\(counter)_\(UInt32.random(in: 0...UInt32.max))"
        try await cluster!.createDatabase(name)
        var configuration = endpoint.clientConfiguration(database: name)
        configuration.options.maximumConnections = 10
        if !sets.isEmpty {
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                try await Migrator(client: client, logger: logger).migrate(sets)
            }
        }
        return configuration
    }

    /// A new, empty database as a `postgres://` URL, for child processes.
    public func freshDatabaseURL(named prefix: String = "test") async throws -> String {
        let endpoint = try await start()
        counter += 1
        let name = "\(prefix.lowercased().filter { $0.isLetter || $0.isNumber })_\(counter)_\(UInt32.random(in: 0...UInt32.max))"
        try await cluster!.createDatabase(name)
        return endpoint.url(database: name)
    }

    /// The cluster's own watchdog stops it (and removes its directory) when this process exits,
    /// however it exits.
    ///
    /// One start shared by every caller: the actor is reentrant across the `await`, so without the
    /// shared task each test that arrived meanwhile started a cluster of its own (a hundred
    /// `initdb`s at once stalled the whole suite for a minute on two cores).
    private func start() async throws -> PostgresEndpoint {
        if starting == nil {
            let logger = logger
            // Unstructured on purpose: every concurrent caller awaits this one start (below).
            starting = Task {
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-test-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
                let cluster = PostgresCluster(directory: directory, forTesting: true, removeOnExit: true, logger: logger)
                return (cluster, try await cluster.start())
            }
        }
        let (cluster, endpoint) = try await starting!.value
        self.cluster = cluster
        return endpoint
    }

}

/// Runs `body` with a running client for `configuration`.
public func withPostgresClient<Result: Sendable>(
    _ configuration: PostgresClient.Configuration, logger: Logger = Logger(label: "emporium.test"),
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
