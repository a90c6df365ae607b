import GraphQL
import Testing
@testable import GraphQLSupport

/// "All Variable Usages Are Allowed" (spec §5.8.5): a nullable variable with a non-null default
/// may be used where a non-null value is expected.
@Suite struct VariableUsageTests {
    @Test func nullableVariablesWithDefaultsFitNonNullPositions() throws {
        let schema = try buildSchema(source: """
            input Filter { q: String }
            type Query { items(filter: Filter!): [String], item(id: Int!): String }
            """)
        func errors(_ query: String) throws -> [String] {
            DocumentParsing.validate(try parse(source: query), schema: schema).map(\.message)
        }
        #expect(try errors("query($f: Filter = {q: \"a\"}) { items(filter: $f) }") == [])
        #expect(try errors("query($id: Int = 3) { item(id: $id) }") == [])
        #expect(try errors("query($full: Boolean = true) { items(filter: {}) @include(if: $full) }") == [])
        // Without a default (or with a null one) it stays an error.
        #expect(try errors("query($id: Int) { item(id: $id) }").count == 1)
        #expect(try errors("query($id: Int = null) { item(id: $id) }").count == 1)
    }
}
