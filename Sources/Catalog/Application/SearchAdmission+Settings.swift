import EmporiumCore
import RateLimiting
import ServiceKit

extension SearchAdmission {
    /// `EMPORIUM_SEARCH_RATE_LIMIT`: "30/10s" — a count and a window in s, m or ms.
    public static func limit(from settings: EnvironmentSettings) throws -> RateLimit {
        try settings.rateLimit("EMPORIUM_SEARCH_RATE_LIMIT") ?? .search
    }
}

extension SearchIndexChoice {
    /// `EMPORIUM_SEARCH_INDEX`: `resident` (the default; in memory, current within about 250 ms)
    /// or `postgres` (a statement per search).
    public init(from settings: EnvironmentSettings) throws {
        switch settings.string("EMPORIUM_SEARCH_INDEX") ?? "resident" {
        case "resident": self = .resident(.every(.milliseconds(250)))
        case "postgres": self = .postgres
        case let other:
            throw EmporiumError.badInput("EMPORIUM_SEARCH_INDEX must be 'resident' or 'postgres' (got '\(other)')", field: "EMPORIUM_SEARCH_INDEX")
        }
    }
}
