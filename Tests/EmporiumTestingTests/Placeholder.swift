import Testing

@Test func placeholder_EmporiumTestingTests() { #expect(Bool(true)) }
