import EmporiumCore
import PostgresNIO

/// Translations from PostgreSQL failures to what the stores promise their callers.
enum PostgresErrors {
    static let uniqueViolation = "23505"
    static let foreignKeyViolation = "23503"
    static let checkViolation = "23514"
    static let numericOutOfRange = "22003"

    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func constraint(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.constraintName]
    }

    /// Domain errors pass through; a sum past the `integer` columns is the caller's input.
    static func translate(_ error: any Error) -> any Error {
        if error is EmporiumError { return error }
        if sqlState(of: error) == numericOutOfRange {
            return EmporiumError.badInput("the stock would exceed the largest number of units a warehouse can record")
        }
        return error
    }
}
