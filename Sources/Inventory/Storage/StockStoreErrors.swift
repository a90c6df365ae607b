import Database
import EmporiumCore

/// How the stock stores report PostgreSQL failures to their callers.
enum StockStoreErrors {
    /// Domain errors pass through; a sum past the `integer` columns is the caller's input.
    static func translate(_ error: any Error) -> any Error {
        if error is EmporiumError { return error }
        if PostgresErrors.sqlState(of: error) == PostgresErrors.numericOutOfRange {
            return EmporiumError.badInput("the stock would exceed the largest number of units a warehouse can record")
        }
        return error
    }
}
