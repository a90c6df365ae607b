import Testing

@Test func placeholder_IdentityTests() { #expect(Bool(true)) }
