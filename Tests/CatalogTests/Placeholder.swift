import Testing

@Test func placeholder_CatalogTests() { #expect(Bool(true)) }
