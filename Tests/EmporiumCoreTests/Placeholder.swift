import Testing

@Test func placeholder_EmporiumCoreTests() { #expect(Bool(true)) }
