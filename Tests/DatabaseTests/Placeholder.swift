import Testing

@Test func placeholder_DatabaseTests() { #expect(Bool(true)) }
