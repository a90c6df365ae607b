import RateLimiting
import ServiceKit

extension SearchAdmission {
    /// `EMPORIUM_SEARCH_RATE_LIMIT`: "30/10s" — a count and a window in s, m or ms.
    public static func limit(from settings: EnvironmentSettings) throws -> RateLimit {
        guard let text = settings.string("EMPORIUM_SEARCH_RATE_LIMIT") else { return .search }
        return try parseLimit(text)
    }

    static func parseLimit(_ text: String) throws -> RateLimit {
        let parts = text.split(separator: "/")
        let problem = ConfigurationError("EMPORIUM_SEARCH_RATE_LIMIT must look like 30/10s (1 to 1000000 requests per window of at most a day, in s, m or ms; got '\(text)')")
        // Bounded before any arithmetic: a window of 10^18 minutes must be an error, not a trap.
        guard parts.count == 2, let limit = Int(parts[0]), (1...1_000_000).contains(limit) else { throw problem }
        let window = parts[1]
        let duration: Duration
        if window.hasSuffix("ms"), let value = Int(window.dropLast(2)), (1...86_400_000).contains(value) { duration = .milliseconds(value) }
        else if window.hasSuffix("s"), let value = Int(window.dropLast()), (1...86_400).contains(value) { duration = .seconds(value) }
        else if window.hasSuffix("m"), let value = Int(window.dropLast()), (1...1440).contains(value) { duration = .seconds(value * 60) }
        else { throw problem }
        return RateLimit(limit: limit, window: duration)
    }
}
