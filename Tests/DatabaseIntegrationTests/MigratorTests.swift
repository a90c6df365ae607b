import Database
import EmporiumTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite("Migrator against a real PostgreSQL", .timeLimit(.minutes(2)))
struct MigratorTests {
    static let first = Migration(version: 1, name: "0001_create_items.sql", sql: """
        -- Items; the table lands in the set's schema through search_path.
        CREATE TABLE items (id bigint PRIMARY KEY, title text NOT NULL);
        INSERT INTO items VALUES (1, 'one; with a semicolon');
        """)
    static let second = Migration(version: 2, name: "0002_add_price.sql", sql: """
        ALTER TABLE items ADD COLUMN price_minor bigint NOT NULL DEFAULT 0;
        CREATE FUNCTION item_count() RETURNS bigint LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
        BEGIN
            RETURN (SELECT count(*) FROM items);
        END;
        $$;
        """)

    private func set(_ schema: String, _ migrations: [Migration]) throws -> MigrationSet {
        try MigrationSet(schema: schema, migrations: migrations)
    }

    @Test func appliesInOrderAndRecords() async throws {
        try await withFreshDatabase { client in
            let migrator = Migrator(client: client, logger: TestPostgres.logger)
            // Given out of order: the set sorts by version, and 0002 depends on 0001.
            let applied = try await migrator.migrate([try self.set("catalog", [Self.second, Self.first])])
            #expect(applied == ["catalog/0001_create_items.sql", "catalog/0002_add_price.sql"])

            let records = try await client.query(
                "SELECT version, name, checksum FROM catalog.schema_migrations ORDER BY applied_at, version")
            var rows: [(Int64, String, String)] = []
            for try await row in records.decode((Int64, String, String).self) { rows.append(row) }
            #expect(rows.map(\.0) == [1, 2])
            #expect(rows.map(\.1) == ["0001_create_items.sql", "0002_add_price.sql"])
            #expect(rows.map(\.2) == [Self.first.checksum, Self.second.checksum])

            #expect(try await client.strings("SELECT title FROM catalog.items") == ["one; with a semicolon"])
            #expect(try await client.strings("SELECT catalog.item_count()::text") == ["1"])
            // search_path was local to the migration's transaction.
            #expect(try await client.strings("SELECT to_regclass('public.items')::text") == [nil])
        }
    }

    @Test func extensionsBelongInPublic() async throws {
        // CREATE EXTENSION goes to the first schema on the search_path, i.e. the service's schema,
        // unless told otherwise; `WITH SCHEMA public` keeps its functions visible to everyone.
        let (inPublic, inSchema) = try await withFreshDatabase { client in
            let migrator = Migrator(client: client, logger: TestPostgres.logger)
            try await migrator.migrate([try self.set("catalog", [
                Migration(version: 1, name: "0001_trgm.sql", sql: "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;"),
            ])])
            try await migrator.migrate([try self.set("inventory", [
                Migration(version: 1, name: "0001_unaccent.sql", sql: "CREATE EXTENSION IF NOT EXISTS unaccent;"),
            ])])
            let trgm = try await client.strings("SELECT (word_similarity('smartfon', 'smartphone') > 0.3)::text")
            let unaccent = try await client.strings(
                "SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'")
            return (trgm, unaccent)
        }
        #expect(inPublic == ["true"], "pg_trgm is callable without qualification")
        #expect(inSchema == ["inventory"], "without WITH SCHEMA the extension lands in the service's schema")
    }

    @Test func rerunAppliesNothing() async throws {
        try await withFreshDatabase { client in
            let migrator = Migrator(client: client, logger: TestPostgres.logger)
            let sets = [try self.set("catalog", [Self.first, Self.second])]
            #expect(try await migrator.migrate(sets).count == 2)
            #expect(try await migrator.migrate(sets).isEmpty)
            // A new migration later: only it runs.
            let third = Migration(version: 3, name: "0003_index.sql", sql: "CREATE INDEX items_title ON items (title);")
            #expect(try await migrator.migrate([try self.set("catalog", [Self.first, Self.second, third])]) == ["catalog/0003_index.sql"])
        }
    }

    @Test func eachSetLivesInItsOwnSchema() async throws {
        try await withFreshDatabase { client in
            let migrator = Migrator(client: client, logger: TestPostgres.logger)
            let applied = try await migrator.migrate([try self.set("catalog", [Self.first]), try self.set("inventory", [Self.first])])
            #expect(applied == ["catalog/0001_create_items.sql", "inventory/0001_create_items.sql"])
            let tables = try await client.strings(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_name IN ('items', 'schema_migrations') ORDER BY 1")
            #expect(tables == ["catalog.items", "catalog.schema_migrations", "inventory.items", "inventory.schema_migrations"])
        }
    }

    @Test func changedAppliedMigrationIsAnErrorNamingTheFile() async throws {
        try await withFreshDatabase { client in
            let migrator = Migrator(client: client, logger: TestPostgres.logger)
            try await migrator.migrate([try self.set("catalog", [Self.first])])
            let edited = Migration(version: 1, name: "0001_create_items.sql", sql: Self.first.sql + "\n-- edited\n")
            let pending = Migration(version: 2, name: "0002_add_price.sql", sql: Self.second.sql)
            let error = try await #require(throws: DatabaseError.self) {
                try await migrator.migrate([try self.set("catalog", [edited, pending])])
            }
            #expect(error.code == .checksumMismatch)
            #expect(error.description.contains("catalog/0001_create_items.sql"))
            #expect(error.description.contains("version 1"))
            // Validation happens before anything is applied: 0002 did not run.
            #expect(try await client.strings("SELECT version::text FROM catalog.schema_migrations") == ["1"])
        }
    }

    @Test func failingMigrationRollsBackAndRecordsNothing() async throws {
        try await withFreshDatabase { client in
            let migrator = Migrator(client: client, logger: TestPostgres.logger)
            let broken = Migration(version: 2, name: "0002_broken.sql", sql: """
                CREATE TABLE half_done (id int);
                INSERT INTO items VALUES (2, 'two');

                SELECT no_such_column FROM items;
                """)
            let error = try await #require(throws: DatabaseError.self) {
                try await migrator.migrate([try self.set("catalog", [Self.first, broken])])
            }
            #expect(error.code == .migrationFailed)
            #expect(error.description.contains("catalog/0002_broken.sql"))
            #expect(error.description.contains("line 4"))
            #expect(error.description.contains("no_such_column"))

            #expect(try await client.strings("SELECT version::text FROM catalog.schema_migrations") == ["1"])
            #expect(try await client.strings("SELECT to_regclass('catalog.half_done')::text") == [nil])
            #expect(try await client.strings("SELECT count(*)::text FROM catalog.items") == ["1"])

            // Fixing the file lets the next run apply it; the lock was released despite the error.
            let fixed = Migration(version: 2, name: "0002_broken.sql", sql: "CREATE TABLE half_done (id int);")
            #expect(try await migrator.migrate([try self.set("catalog", [Self.first, fixed])]) == ["catalog/0002_broken.sql"])
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationOnce() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "concurrent")
        // A slow first migration widens the window in which the others try to run.
        let slow = Migration(version: 1, name: "0001_slow.sql", sql: "SELECT pg_sleep(0.3); CREATE TABLE runs (n int);")
        let counted = Migration(version: 2, name: "0002_count.sql", sql: "INSERT INTO runs VALUES (1);")
        let sets = [try self.set("catalog", [slow, counted]), try self.set("orders", [slow, counted])]

        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await withPostgresClient(configuration) { client in
                        try await Migrator(client: client, logger: TestPostgres.logger).migrate(sets)
                    }
                }
            }
            var all: [[String]] = []
            for try await result in group { all.append(result) }
            return all
        }
        let applied = results.flatMap { $0 }
        #expect(applied.sorted() == ["catalog/0001_slow.sql", "catalog/0002_count.sql", "orders/0001_slow.sql", "orders/0002_count.sql"])
        #expect(results.filter { !$0.isEmpty }.count == 1, "one migrator did all the work: \(results)")
        let counts = try await withPostgresClient(configuration) { client in
            try await client.strings("""
                SELECT concat_ws(',', (SELECT count(*) FROM catalog.runs), (SELECT count(*) FROM orders.runs),
                                 (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
                                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())))
                """)
        }
        // Each table got one row, and the advisory lock is free again (in this database: other
        // tests migrate theirs in the same cluster at the same time).
        #expect(counts == ["1,1,0"])
    }
}
