import Database
import EmporiumTesting
import Foundation
import PostgresNIO
import Testing

/// A server that refuses a pool's connections ("too many connections") slows the pool down; its
/// callers wait for a connection the server accepts later and are answered, never left hanging.
@Suite(.timeLimit(.minutes(2)))
struct RefusedConnectionTests {
    @Test func callersAreAnsweredOnceTheServerAcceptsConnectionsAgain() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "refused")
        let database = try #require(configuration.database)
        // Connection limits do not apply to superusers: a role of its own, refused at first.
        let role = "limited_\(UInt32.random(in: 0...UInt32.max))"
        try await withPostgresClient(configuration) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE ROLE \(role) LOGIN PASSWORD 'limited' CONNECTION LIMIT 0"))
            try await admin.query(PostgresQuery(unsafeSQL: "GRANT CONNECT ON DATABASE \"\(database)\" TO \(role)"))
        }
        var limited = configuration
        limited.username = role
        limited.password = "limited"
        limited.options.maximumConnections = 10

        let answered = try await withPostgresClient(limited) { client in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<60 {
                    group.addTask {
                        let rows = try await client.query("SELECT 1 FROM pg_sleep(0.01)")
                        for try await _ in rows {}
                        return true
                    }
                }
                // Every connection attempt fails for a while, then three at a time are accepted.
                try await Task.sleep(for: .seconds(2))
                _ = try await withPostgresClient(configuration) { admin in
                    try await admin.query(PostgresQuery(unsafeSQL: "ALTER ROLE \(role) CONNECTION LIMIT 3"))
                }
                var answered = 0
                for try await ok in group where ok { answered += 1 }
                return answered
            }
        }
        #expect(answered == 60)
    }
}
