import Contracts
import Database
import EmporiumTesting
import Foundation
import Logging
import PostgresNIO
import Testing

/// `emporium events dead-letters` and `emporium events redrive`, as an operator runs them.
@Suite(.timeLimit(.minutes(3))) struct EventsCommandTests {
    /// Runs the binary to completion; returns (exit status, stdout).
    func emporium(_ arguments: [String], databaseURL: String) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = ServeProcessTests.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["EMPORIUM_DATABASE_URL"] = databaseURL
        environment["EMPORIUM_LOG_LEVEL"] = "error"
        environment["EMPORIUM_JWT_SECRET"] = testJWTSecret
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A process setting read before the commands' configuration: refused clearly, not ignored.
    @Test func aBadEventLoopCountStopsTheProcessWithTheReason() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcessTests.binary.path), "build the emporium binary: swift build --build-tests")
        for (value, accepted) in [("0", false), ("many", false), ("257", false), ("1", true)] {
            let process = Process()
            process.executableURL = ServeProcessTests.binary
            process.arguments = ["--help"]
            process.environment = ProcessInfo.processInfo.environment.merging(["EMPORIUM_EVENT_LOOPS": value]) { $1 }
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = Pipe()
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect((process.terminationStatus == 0) == accepted, "\(value): \(text)")
            #expect(text.contains("EMPORIUM_EVENT_LOOPS") != accepted, "\(value): \(text)")
        }
    }

    @Test func parkedEventsAreListedAndRedrivenIntoEffect() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcessTests.binary.path), "build the emporium binary: swift build --build-tests")
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "events")
        #expect(try await emporium(["migrate"], databaseURL: databaseURL).0 == 0)

        // A ProductCreated that inventory gave up on (say, while its database was read-only).
        let productID = UUID().uuidString.lowercased()
        let event = try EventEnvelope(ProductCreated(product: ProductSnapshot(
            productId: productID, sellerId: "seller-ops", title: "Parked", slug: "parked",
            price: MoneyValue(amount: 100, currency: "EUR"), status: "DRAFT", categoryId: nil, version: 1)))
        let (status, none) = try await emporium(["events", "dead-letters"], databaseURL: databaseURL)
        #expect(status == 0)
        #expect(none.contains("No dead letters."))

        let parked = try await emporium(["events", "dead-letters"], databaseURL: databaseURL) { client, logger in
            try await client.query("""
                INSERT INTO inventory.dead_letters (consumer, event_id, topic, aggregate_id, event_type, schema_version, occurred_at, payload, error, attempts)
                VALUES ('inventory', \(event.eventID), \(event.topic), \(event.aggregateID), \(event.type), 1, now(), \(String(decoding: event.payload, as: UTF8.self))::jsonb, 'database is read-only', 5)
                """, logger: logger)
        }
        #expect(parked.0 == 0)
        #expect(parked.1.contains("inventory ProductCreated v1 aggregate=\(productID)"))
        #expect(parked.1.contains("database is read-only"))

        let redriven = try await emporium(["events", "redrive", "--service", "inventory"], databaseURL: databaseURL)
        #expect(redriven.0 == 0)
        #expect(redriven.1.contains("Redriven: 1 handled, 0 parked again"))
        #expect(try await emporium(["events", "dead-letters"], databaseURL: databaseURL).1.contains("No dead letters."))
        let stocked = try await withDatabase(databaseURL) { client, logger in
            try await client.query("SELECT count(*) FROM inventory.stock WHERE product_id = \(UUID(uuidString: productID)!)", logger: logger)
                .decode(Int64.self).collectAll().first ?? 0
        }
        #expect(stocked == 1)
    }

    /// Runs `body` against the database, then the command.
    func emporium(_ arguments: [String], databaseURL: String, after body: @Sendable (PostgresClient, Logger) async throws -> Void) async throws -> (Int32, String) {
        _ = try await withDatabase(databaseURL) { client, logger in try await body(client, logger); return 0 }
        return try await emporium(arguments, databaseURL: databaseURL)
    }

    func withDatabase(_ url: String, _ body: @Sendable (PostgresClient, Logger) async throws -> Int64) async throws -> Int64 {
        let configuration = try DatabaseURL(url).configuration
        let logger = Logger(label: "test")
        return try await withPostgresClient(configuration, logger: logger) { client in try await body(client, logger) }
    }
}
