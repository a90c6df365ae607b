import EmporiumCore
import Testing

@Suite struct ByteSearchTests {
    @Test func findsBytesAnywhereAndOnlyWhole() {
        #expect("query { productBySlug(slug: $s) }".containsBytes(of: "product"))
        #expect("product".containsBytes(of: "product"))
        #expect(!"produc".containsBytes(of: "product"))
        #expect(!"query { products_ }".containsBytes(of: "productBySlug"))
        #expect("anything".containsBytes(of: ""))
        #expect(!"".containsBytes(of: "a"))
        // UTF-8 bytes, not characters: a Cyrillic word is found inside another.
        #expect("смартфоны".containsBytes(of: "смартфон"))
        #expect(!"смартфон".containsBytes(of: "смартфоны"))
    }

    @Test func foldsASCIICaseOnlyWhenAsked() {
        let accept = "text/html, Application/GraphQL-Response+JSON;q=0.9"
        #expect(accept.containsBytes(of: "application/graphql-response+json", ignoringASCIICase: true))
        #expect(!accept.containsBytes(of: "application/graphql-response+json"))
        #expect("APPLICATION/JSON".containsBytes(of: "Application/Json", ignoringASCIICase: true))
        // Only A–Z fold: Cyrillic case is left alone.
        #expect(!"СМАРТФОН".containsBytes(of: "смартфон", ignoringASCIICase: true))
    }
}
