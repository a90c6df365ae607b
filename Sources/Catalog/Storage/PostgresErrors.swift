import EmporiumCore
import PostgresNIO

/// Translations from PostgreSQL failures to what the domain promises its callers.
enum PostgresErrors {
    static let uniqueViolation = "23505"
    static let foreignKeyViolation = "23503"
    static let checkViolation = "23514"

    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func constraint(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.constraintName]
    }

    /// `withTransaction` wraps what the closure threw; callers want the domain error back.
    static func unwrap(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError {
            if let closure = transaction.closureError { return closure }
            if let commit = transaction.commitError { return commit }
            if let begin = transaction.beginError { return begin }
        }
        return error
    }
}
