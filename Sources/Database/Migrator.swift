import Logging
public import PostgresNIO

/// Applies ``MigrationSet``s: every service's schema is brought up to date at start-up and by
/// `emporium migrate`, and concurrent starts (several processes, several nodes) never apply a
/// migration twice.
///
/// For each set, in the order given: create the schema and its `<schema>.schema_migrations(version,
/// name, checksum, applied_at)` table if missing; check that no applied migration changed; then
/// apply each pending migration in its own transaction, with `search_path` set to `<schema>, public`
/// (so files may write unqualified names), and record it in that same transaction. A failing
/// migration is rolled back and not recorded; the error names the file, line and server message.
///
/// The whole run holds a session-level `pg_advisory_lock` on ``lockKey`` on one connection, so a
/// second migrator waits, then finds nothing pending. The `PostgresClient` must be running.
public struct Migrator: Sendable {
    /// The advisory lock key (`"Emporium"` in ASCII); fixed so that every Emporium version and
    /// process agrees on it. Advisory locks are per database.
    public static let lockKey: Int64 = 0x456D_706F_7269_756D

    private let client: PostgresClient
    private let logger: Logger
    private let lockTimeout: Duration

    /// - Parameter lockTimeout: how long to wait for another process's migration run before failing.
    public init(client: PostgresClient, logger: Logger, lockTimeout: Duration = .seconds(300)) {
        self.client = client
        self.logger = logger
        self.lockTimeout = lockTimeout
    }

    /// Migrates every set; returns what was applied now, as `"schema/file name"`, in order.
    @discardableResult
    public func migrate(_ sets: [MigrationSet]) async throws -> [String] {
        var seen: Set<String> = []
        for set in sets where !seen.insert(set.schema).inserted {
            throw DatabaseError(.invalidMigration, "Schema \(set.schema) appears in more than one migration set.")
        }
        return try await self.client.withConnection { connection in
            try await self.acquireLock(on: connection)
            do {
                let applied = try await self.run(sets, on: connection)
                await self.releaseLock(on: connection)
                return applied
            } catch {
                await self.releaseLock(on: connection)
                throw error
            }
        }
    }

    // MARK: - Run

    private struct AppliedMigration {
        var version: Int
        var name: String
        var checksum: String
    }

    private func run(_ sets: [MigrationSet], on connection: PostgresConnection) async throws -> [String] {
        // Validate every set before changing anything, so a checksum error in one service does not
        // leave another half-migrated.
        var pendingBySet: [(MigrationSet, [Migration])] = []
        for set in sets {
            try await self.prepareSchema(set.schema, on: connection)
            let applied = try await self.appliedMigrations(in: set.schema, on: connection)
            let byVersion = Dictionary(applied.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
            for migration in set.migrations {
                guard let record = byVersion[migration.version] else { continue }
                if record.checksum != migration.checksum {
                    throw DatabaseError(
                        .checksumMismatch,
                        "Migration \(set.schema)/\(migration.name) (version \(migration.version)) was changed after it was applied; add a new migration instead of editing an applied one.",
                        details: "recorded as \(record.name) with checksum \(record.checksum); the file now has checksum \(migration.checksum)")
                }
            }
            let known = Set(set.migrations.map(\.version))
            for record in applied where !known.contains(record.version) {
                self.logger.warning(
                    "applied migration has no file",
                    metadata: ["migration.schema": "\(set.schema)", "migration.version": "\(record.version)", "migration.name": "\(record.name)"])
            }
            pendingBySet.append((set, set.migrations.filter { byVersion[$0.version] == nil }))
        }

        var appliedNow: [String] = []
        for (set, pending) in pendingBySet {
            for migration in pending {
                try await self.apply(migration, schema: set.schema, on: connection)
                appliedNow.append("\(set.schema)/\(migration.name)")
            }
        }
        return appliedNow
    }

    private func prepareSchema(_ schema: String, on connection: PostgresConnection) async throws {
        let quoted = SQLIdentifier.quote(schema)
        do {
            try await Self.execute("CREATE SCHEMA IF NOT EXISTS \(quoted)", on: connection, logger: self.logger)
            try await Self.execute(
                """
                CREATE TABLE IF NOT EXISTS \(quoted).schema_migrations (
                    version bigint PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                on: connection, logger: self.logger)
        } catch {
            throw DatabaseError(
                .queryFailed, "Cannot prepare schema \(schema) for migrations: \(PostgresErrorText.summary(error))", underlying: error)
        }
    }

    private func appliedMigrations(in schema: String, on connection: PostgresConnection) async throws -> [AppliedMigration] {
        do {
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT version, name, checksum FROM \(SQLIdentifier.quote(schema)).schema_migrations ORDER BY version"),
                logger: self.logger)
            var result: [AppliedMigration] = []
            for try await (version, name, checksum) in rows.decode((Int64, String, String).self) {
                result.append(AppliedMigration(version: Int(version), name: name, checksum: checksum))
            }
            return result
        } catch {
            throw DatabaseError(
                .queryFailed, "Cannot read \(schema).schema_migrations: \(PostgresErrorText.summary(error))", underlying: error)
        }
    }

    private func apply(_ migration: Migration, schema: String, on connection: PostgresConnection) async throws {
        let label = "\(schema)/\(migration.name)"
        let quoted = SQLIdentifier.quote(schema)
        let statements = SQLScript(migration.sql).statements
        let clock = ContinuousClock()
        let started = clock.now
        do {
            try await Self.execute("BEGIN", on: connection, logger: self.logger)
        } catch {
            throw DatabaseError(.migrationFailed, "Migration \(label) could not start a transaction: \(PostgresErrorText.summary(error))", underlying: error)
        }
        do {
            try await Self.execute("SET LOCAL search_path TO \(quoted), public", on: connection, logger: self.logger)
            for statement in statements {
                do {
                    try await Self.execute(statement.sql, on: connection, logger: self.logger)
                } catch {
                    let line = Self.errorLine(error, in: statement)
                    throw DatabaseError(
                        .migrationFailed,
                        "Migration \(label) failed at line \(line): \(PostgresErrorText.summary(error)); it was rolled back and not recorded.",
                        details: "statement:\n\(statement.sql)",
                        underlying: error)
                }
            }
            let rows = try await connection.query(
                "INSERT INTO \(unescaped: quoted).schema_migrations (version, name, checksum) VALUES (\(Int64(migration.version)), \(migration.name), \(migration.checksum))",
                logger: self.logger)
            for try await _ in rows {}
            try await Self.execute("COMMIT", on: connection, logger: self.logger)
        } catch {
            do {
                try await Self.execute("ROLLBACK", on: connection, logger: self.logger)
            } catch {
                self.logger.error("ROLLBACK after a failed migration failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            if error is DatabaseError { throw error }
            throw DatabaseError(
                .migrationFailed, "Migration \(label) failed: \(PostgresErrorText.summary(error)); it was rolled back and not recorded.",
                underlying: error)
        }
        self.logger.info(
            "applied migration",
            metadata: [
                "migration.schema": "\(schema)", "migration.version": "\(migration.version)",
                "migration.name": "\(migration.name)", "migration.statements": "\(statements.count)",
                "migration.duration": "\(clock.now - started)",
            ])
    }

    // MARK: - Lock

    private func acquireLock(on connection: PostgresConnection) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + self.lockTimeout
        var loggedWait = false
        while true {
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(Self.lockKey))", logger: self.logger)
            var acquired = false
            for try await (locked) in rows.decode(Bool.self) { acquired = locked }
            if acquired { return }
            guard clock.now < deadline else {
                throw DatabaseError(
                    .lockTimeout,
                    "Another process has been migrating this database for more than \(self.lockTimeout); giving up (advisory lock \(Self.lockKey)).")
            }
            if !loggedWait {
                self.logger.info("waiting for another migration run to finish", metadata: ["migration.lock": "\(Self.lockKey)"])
                loggedWait = true
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...150)))
        }
    }

    private func releaseLock(on connection: PostgresConnection) async {
        do {
            let rows = try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: self.logger)
            for try await _ in rows {}
        } catch {
            // The lock dies with the session; a failed unlock means the connection is broken anyway.
            self.logger.warning("cannot release the migration lock", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    // MARK: - Helpers

    /// Runs one statement without binds and drains its rows, so a server error that arrives after
    /// the first row still surfaces here.
    static func execute(_ sql: String, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        for try await _ in rows {}
    }

    /// The file line of a server error: the statement's first line plus the lines before the
    /// server-reported character position.
    private static func errorLine(_ error: any Error, in statement: SQLScript.Statement) -> Int {
        guard let error = error as? PSQLError, let text = error.serverInfo?[.position], let position = Int(text), position > 0 else {
            return statement.line
        }
        // The server counts characters as code points, 1-based.
        let prefix = statement.sql.unicodeScalars.prefix(position - 1)
        return statement.line + prefix.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
    }
}
