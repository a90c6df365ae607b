import EmporiumCore
import PostgresNIO

/// Translations from PostgreSQL failures to what the domain promises its callers.
enum PostgresErrors {
    static let uniqueViolation = "23505"
    static let foreignKeyViolation = "23503"
    static let checkViolation = "23514"
    static let notNullViolation = "23502"
    /// A NUL byte in `text` ("invalid byte sequence for encoding UTF8: 0x00").
    static let characterNotInRepertoire = "22021"
    /// `\u0000` in `jsonb`.
    static let untranslatableCharacter = "22P05"
    static let stringTooLong = "22001"
    static let numericOutOfRange = "22003"

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
