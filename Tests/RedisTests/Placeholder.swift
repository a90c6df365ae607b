import Testing

@Test func placeholder_RedisTests() { #expect(Bool(true)) }
