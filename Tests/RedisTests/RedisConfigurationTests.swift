import Testing
@testable import Redis

struct RedisConfigurationTests {
    @Test
    func parsesURLs() throws {
        let full = try RedisConfiguration(url: "redis://app:p%40ss@cache.internal:6380/3")
        #expect(full.host == "cache.internal")
        #expect(full.port == 6380)
        #expect(full.username == "app")
        #expect(full.password == "p@ss")
        #expect(full.database == 3)
        let minimal = try RedisConfiguration(url: "redis://localhost")
        #expect(minimal.port == 6379 && minimal.database == 0 && minimal.password == nil)
        let passwordOnly = try RedisConfiguration(url: "redis://:pw@[::1]:7000")
        #expect(passwordOnly.username == nil && passwordOnly.password == "pw")
        #expect(passwordOnly.host == "::1" && passwordOnly.port == 7000)
        let tls = try RedisConfiguration(url: "rediss://h")
        if case .disable = tls.tls.mode { Issue.record("rediss:// must enable TLS") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "http://h") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://h:99999") }
    }

    @Test
    func backoffGrowsAndIsCapped() {
        let backoff = RedisConfiguration.Backoff(initial: .milliseconds(100), maximum: .seconds(1), multiplier: 2, jitter: 0.1)
        #expect(backoff.delay(attempt: 0) >= .milliseconds(90) && backoff.delay(attempt: 0) <= .milliseconds(110))
        #expect(backoff.delay(attempt: 2) >= .milliseconds(360) && backoff.delay(attempt: 2) <= .milliseconds(440))
        #expect(backoff.delay(attempt: 50) <= .milliseconds(1100))
    }

    @Test
    func errorDescriptionHidesDetails() {
        let error = RedisError.server(message: "WRONGTYPE Operation against a key holding the wrong kind of value")
        #expect(error.code == .server)
        #expect(error.serverErrorPrefix == "WRONGTYPE")
        #expect(error.description == "Redis error: server (WRONGTYPE)")
        #expect(error.debugDescription.contains("Operation against a key"))
        #expect(RedisError.server(message: "NOSCRIPT No matching script").code == .noScript)
    }
}
