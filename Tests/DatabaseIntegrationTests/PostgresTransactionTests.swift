import Database
import EmporiumTesting
import PostgresNIO
import Testing

@Suite("transaction helper", .timeLimit(.minutes(2)))
struct PostgresTransactionTests {
    struct VersionConflict: Error, Equatable {}

    @Test func commitsOnSuccessAndRethrowsDomainErrorsUnchanged() async throws {
        let counts = try await withFreshDatabase { client in
            try await client.query("CREATE TABLE things (id int)")
            let value = try await client.transaction(logger: TestPostgres.logger) { connection in
                try await connection.query("INSERT INTO things VALUES (1)", logger: TestPostgres.logger)
                return 42
            }
            #expect(value == 42)
            do {
                try await client.transaction(logger: TestPostgres.logger) { connection in
                    try await connection.query("INSERT INTO things VALUES (2)", logger: TestPostgres.logger)
                    throw VersionConflict()
                }
                Issue.record("the transaction should have thrown")
            } catch let error as VersionConflict {
                #expect(error == VersionConflict())
            }
            return try await client.strings("SELECT string_agg(id::text, ',') FROM things")
        }
        #expect(counts == ["1"], "the first insert committed, the second rolled back")
    }
}
