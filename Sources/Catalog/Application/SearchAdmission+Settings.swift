import RateLimiting
import ServiceKit

extension SearchAdmission {
    /// `EMPORIUM_SEARCH_RATE_LIMIT`: "30/10s" — a count and a window in s, m or ms.
    public static func limit(from settings: EnvironmentSettings) throws -> RateLimit {
        try settings.rateLimit("EMPORIUM_SEARCH_RATE_LIMIT") ?? .search
    }
}
