import Testing

@Test func placeholder_Caching() { #expect(Bool(true)) }
