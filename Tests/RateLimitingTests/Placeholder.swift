import Testing

@Test func placeholder_RateLimiting() { #expect(Bool(true)) }
