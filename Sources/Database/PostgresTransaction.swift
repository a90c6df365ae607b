public import Logging
public import PostgresNIO

extension PostgresConnection {
    /// Runs `body` between `BEGIN` and `COMMIT` (or `ROLLBACK` if it throws), rethrowing the
    /// body's own error unchanged.
    ///
    /// PostgresNIO's `withTransaction` wraps every error in `PostgresTransactionError`, so a domain
    /// error thrown inside (a version conflict, a permission check) would need unwrapping before it
    /// can become a GraphQL error. Here only `BEGIN`/`COMMIT` failures become a ``DatabaseError``
    /// (`.queryFailed`); a failed `ROLLBACK` is logged (the server discards the transaction when the
    /// connection closes).
    public func transaction<Result>(
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        do {
            try await Migrator.execute("BEGIN", on: self, logger: logger)
        } catch {
            throw DatabaseError(.queryFailed, "Cannot begin a transaction: \(PostgresErrorText.summary(error))", underlying: error)
        }
        let value: Result
        do {
            value = try await body(self)
        } catch {
            do {
                try await Migrator.execute("ROLLBACK", on: self, logger: logger)
            } catch let rollbackError {
                logger.warning("ROLLBACK failed", metadata: ["error": "\(String(reflecting: rollbackError))"])
            }
            throw error
        }
        do {
            try await Migrator.execute("COMMIT", on: self, logger: logger)
        } catch {
            throw DatabaseError(.queryFailed, "Cannot commit a transaction: \(PostgresErrorText.summary(error))", underlying: error)
        }
        return value
    }
}

extension PostgresClient {
    /// Leases a connection and runs `body` in a transaction on it; see
    /// ``PostgresNIO/PostgresConnection/transaction(logger:isolation:_:)``: the body's own errors
    /// are rethrown unchanged.
    public func transaction<Result>(
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        try await self.withConnection(isolation: isolation) { connection in
            try await connection.transaction(logger: logger, isolation: isolation, body)
        }
    }
}
