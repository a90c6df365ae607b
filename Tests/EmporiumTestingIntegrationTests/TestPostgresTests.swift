import EmporiumTesting
import Logging
import PostgresNIO
import Testing

@Suite struct TestPostgresTests {
    /// Suites get separate databases: a table made in one is absent from the other.
    @Test func freshDatabasesAreIsolated() async throws {
        let first = try await TestPostgres.shared.freshDatabase(named: "iso")
        let second = try await TestPostgres.shared.freshDatabase(named: "iso")
        #expect(first.database != second.database)
        _ = try await withPostgresClient(first) { client in
            _ = try await client.query("CREATE TABLE marker (id int)")
        }
        let tables = try await withPostgresClient(second) { client in
            var names: [String] = []
            for try await name in try await client.query("SELECT tablename FROM pg_tables WHERE tablename = 'marker'").decode(String.self) {
                names.append(name)
            }
            return names
        }
        #expect(tables.isEmpty)
    }
}
