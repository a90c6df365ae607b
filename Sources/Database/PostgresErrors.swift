import PostgresNIO

/// What the stores need to know about a PostgreSQL failure: its SQLSTATE, the constraint it
/// names, and the error a transaction's closure threw. One copy for every service's stores.
public enum PostgresErrors {
    public static let uniqueViolation = "23505"
    public static let foreignKeyViolation = "23503"
    public static let checkViolation = "23514"
    public static let notNullViolation = "23502"
    /// A NUL byte in `text` ("invalid byte sequence for encoding UTF8: 0x00").
    public static let characterNotInRepertoire = "22021"
    /// `\u0000` in `jsonb`.
    public static let untranslatableCharacter = "22P05"
    public static let stringTooLong = "22001"
    public static let numericOutOfRange = "22003"

    public static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    public static func constraint(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.constraintName]
    }

    /// `withTransaction` wraps what the closure threw; callers want the domain error back.
    public static func unwrap(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError {
            if let closure = transaction.closureError { return closure }
            if let commit = transaction.commitError { return commit }
            if let begin = transaction.beginError { return begin }
        }
        return error
    }
}
