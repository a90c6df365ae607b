import Database
import Foundation
import Logging
import PostgresNIO

/// One private PostgreSQL cluster per test process, started lazily on first use; every test gets
/// a fresh database in it. The cluster's watchdog stops it and deletes its temp directory when the
/// test process exits.
actor TestPostgres {
    static let shared = TestPostgres()

    private var starting: Task<(PostgresCluster, PostgresEndpoint), any Error>?
    private var counter = 0

    static var logger: Logger {
        var logger = Logger(label: "emporium.database.tests")
        logger.logLevel = .warning
        return logger
    }

    /// The shared cluster; throws (failing the test) with the install hint when PostgreSQL is missing.
    func cluster() async throws -> (PostgresCluster, PostgresEndpoint) {
        if let starting { return try await starting.value }
        let task = Task<(PostgresCluster, PostgresEndpoint), any Error> {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("emporium-dbtests-\(UUID().uuidString.prefix(8))")
                .appendingPathComponent("data").path
            let cluster = PostgresCluster(directory: directory, forTesting: true, removeOnExit: true, logger: Self.logger)
            return (cluster, try await cluster.start())
        }
        self.starting = task
        return try await task.value
    }

    /// Creates a database no other test uses and returns a client configuration for it.
    func freshDatabase(_ prefix: String = "t") async throws -> PostgresClient.Configuration {
        let (cluster, endpoint) = try await self.cluster()
        self.counter += 1
        let name = "\(prefix)_\(self.counter)_\(UInt32.random(in: 0...UInt32.max))"
        try await cluster.createDatabase(name)
        return endpoint.clientConfiguration(database: name)
    }
}

/// Runs `body` with a running `PostgresClient` (its `run()` in a child task, cancelled afterwards).
func withClient<T: Sendable>(
    _ configuration: PostgresClient.Configuration,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    // PostgresNIO warns when a lease races `run()` starting in the child task; that race is harmless here.
    var backgroundLogger = TestPostgres.logger
    backgroundLogger.logLevel = .error
    let client = PostgresClient(configuration: configuration, backgroundLogger: backgroundLogger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        do {
            let result = try await body(client)
            group.cancelAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// Runs `body` with a client on a database created for this test alone.
func withFreshDatabase<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
    let configuration = try await TestPostgres.shared.freshDatabase()
    return try await withClient(configuration, body)
}

extension PostgresClient {
    /// The rows of a single-column text query (NULL as nil), for assertions.
    func strings(_ query: PostgresQuery) async throws -> [String?] {
        var result: [String?] = []
        for try await value in try await self.query(query).decode(String?.self) { result.append(value) }
        return result
    }
}
