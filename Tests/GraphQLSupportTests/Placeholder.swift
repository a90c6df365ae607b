import Testing

@Test func placeholder_GraphQLSupportTests() { #expect(Bool(true)) }
