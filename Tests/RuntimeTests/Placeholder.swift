import Testing

@Test func placeholder_RuntimeTests() { #expect(Bool(true)) }
