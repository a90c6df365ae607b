import GraphQL
import HTTPTypes
import Testing
@testable import GraphQLSupport

@Suite("Query text bounds and document shape")
struct DocumentBoundsTests {
    @Test("nesting and token counts stop at their bounds; strings and comments do not count as brackets")
    func textBounds() {
        let bounds = QueryTextBounds(maximumTokens: 100, maximumNesting: 5)
        #expect(bounds.violation(in: "{ a { b { c } } }") == nil)
        #expect(bounds.violation(in: "{a{a{a{a{a{a}}}}}}")?.extensions["code"] == .string(QueryTextBounds.code))
        #expect(bounds.violation(in: #"{ a(s: "{{{{{{{{{{") }"#) == nil)
        #expect(bounds.violation(in: "{ a(s: \"\"\"{{{{{{{{ \\\"\"\" [[[[[[\"\"\") }") == nil)
        #expect(bounds.violation(in: "# {{{{{{{{{{\n{ a }") == nil)
        #expect(bounds.violation(in: "{ " + String(repeating: "a ", count: 99) + "}")?.message.contains("tokens") == true)
        // Unterminated strings end the scan; the parser reports them.
        #expect(bounds.violation(in: #"{ a(s: "{{{{{{{"#) == nil)
    }

    @Test("a megabyte of nested braces is refused in linear time with the default bounds")
    func megabyteOfBraces() {
        let text = String(repeating: "{a", count: 1 << 19)
        #expect(QueryTextBounds().violation(in: text) != nil)
        guard case .failure(let error) = DocumentParsing.parse(text) else {
            Issue.record("the text was parsed")
            return
        }
        #expect(error.extensions["code"] == .string(QueryTextBounds.code))
    }

    @Test("shape of a fragment bomb: 2^30 fields counted without expanding, saturating past Int.max")
    func bombShape() throws {
        func bomb(_ levels: Int) -> String {
            var fragments = (0..<levels).map { "fragment F\($0) on T { ...F\($0 + 1) ...F\($0 + 1) }" }
            fragments.append("fragment F\(levels) on T { a: x }")
            return "{ t { ...F0 } } " + fragments.joined(separator: " ")
        }
        let shape = DocumentShape(try parse(source: bomb(30)))
        #expect(shape.fields == 1 + (1 << 30))
        #expect(shape.aliases == 1 << 30)
        #expect(shape.depth == 2)
        #expect(DocumentShape(try parse(source: bomb(70))).fields == .max)
    }

    @Test("cycles and unknown fragments end the walk; inline fragments and introspection count")
    func cyclesAndIntrospection() throws {
        let cycle = DocumentShape(try parse(source: "{ t { ...A } } fragment A on T { x ...B } fragment B on T { y ...A } "))
        #expect(cycle.fields == 3)
        #expect(DocumentShape(try parse(source: "{ t { ...Missing } }")).fields == 1)
        let introspection = DocumentShape(try parse(source: "{ __type(name: \"T\") { ofType { ofType { ... on __Type { name } } } } }"))
        #expect(introspection.depth == 4)
        #expect(introspection.fields == 4)
    }

    @Test("Int literals beyond 32 bits are BAD_USER_INPUT; Float positions accept them")
    func int32Literals() throws {
        let schema = try buildSchema(source: "type Query { items(first: Int, ratio: Float, ids: [Int!]): [String] }")
        func codes(_ query: String) throws -> [Map?] {
            DocumentParsing.validate(try parse(source: query), schema: schema).map { $0.extensions["code"] }
        }
        #expect(try codes("{ items(first: 2147483647) }").isEmpty)
        #expect(try codes("{ items(first: -2147483648) }").isEmpty)
        #expect(try codes("{ items(first: 2147483648) }") == [.string("BAD_USER_INPUT")])
        #expect(try codes("{ items(ids: [1, 9223372036854775807]) }") == [.string("BAD_USER_INPUT")])
        #expect(try codes("{ items(ratio: 9223372036854775807) }").isEmpty)
        #expect(try codes("{ items(nope: 1) }") == [.string(GraphQLErrorMapping.validationFailed)])
    }

    @Test("the internal credential: exact match only; the forwarded client key is checked")
    func internalCredential() throws {
        let token = String(repeating: "k", count: 40)
        #expect(InternalCredential(token: "short") == nil)
        let credential = try #require(InternalCredential(token: token))
        func headers(_ value: String?, client: String? = nil) -> HTTPFields {
            var fields = HTTPFields()
            if let value { fields[InternalCredential.tokenHeader] = value }
            if let client { fields[InternalCredential.clientHeader] = client }
            return fields
        }
        #expect(credential.authorizes(headers(token)))
        #expect(!credential.authorizes(headers(nil)))
        #expect(!credential.authorizes(headers(String(token.dropLast()))))
        #expect(!credential.authorizes(headers(token + "k")))
        #expect(!credential.authorizes(headers(String(repeating: "j", count: 40))))
        #expect(InternalCredential.forwarded(InternalCredential.clientHeader, in: headers(token, client: "ip:10.0.0.1")) == "ip:10.0.0.1")
        #expect(InternalCredential.forwarded(InternalCredential.clientHeader, in: headers(token, client: "ip:1 2")) == nil)
        #expect(InternalCredential.forwarded(InternalCredential.clientHeader, in: headers(token, client: String(repeating: "x", count: 201))) == nil)
        #expect(credential.headers(clientKey: "ip:bad key").count == 1)
    }

    @Test("operation names get a metric series only once common; a flood of made-up names shares 'other'")
    func operationNames() {
        var names = OperationNames()
        for index in 0..<10_000 { #expect(names.label(for: "junk\(index)") == "other") }
        var label = ""
        for _ in 0..<OperationMetrics.admissionCount { label = names.label(for: "ProductPage") }
        #expect(label == "ProductPage")
        #expect(names.label(for: "ProductPage") == "ProductPage")

        // A real operation, one request in eleven, is admitted in the middle of a flood.
        var flooded = OperationNames()
        var admitted = false
        for index in 0..<20_000 {
            _ = flooded.label(for: "flood\(index)")
            if index % 10 == 0, flooded.label(for: "Search") == "Search" { admitted = true }
        }
        #expect(admitted)
    }
}

@Suite struct DocumentCacheMemoryTests {
    /// A thousand distinct near-megabyte queries (whitespace padding parses to a tiny tree) must
    /// not pin a gigabyte: the cache counts the text it holds.
    @Test func largeQueriesDoNotPinMemory() throws {
        let cache = DocumentCache(capacity: 1000, maximumBytes: 32 << 20)
        let padding = String(repeating: " ", count: 900_000)
        let document = try parse(source: "{ a }")
        for index in 0..<100 { cache.store(document, for: "{ a\(index) }" + padding) }
        #expect(cache.statistics.bytes <= 32 << 20)
        #expect(cache.statistics.entries < 10)
    }
}
