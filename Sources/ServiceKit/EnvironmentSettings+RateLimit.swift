import RateLimiting

extension EnvironmentSettings {
    /// A rate limit written as "30/10s": 1 to 1,000,000 requests per window of at most a day, in
    /// `s`, `m` or `ms`.
    public func rateLimit(_ name: String) throws -> RateLimit? {
        guard let text = string(name) else { return nil }
        let parts = text.split(separator: "/")
        let problem = ConfigurationError("\(name) must look like 30/10s (1 to 1000000 requests per window of at most a day, in s, m or ms; got '\(text)')")
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
