@testable import Catalog
import EmporiumCore
import Foundation
import GraphQL
import GraphQLSupport
import Testing

/// A cursor is client input: one that decodes well but carries an extreme position must be
/// refused, never turned back into an overflowing number of microseconds.
@Suite struct HostileCursorTests {
    static func cursor(_ keys: [String]) -> String {
        Cursor(keys).encoded
    }

    @Test func extremePositionsAreBadInput() {
        for micros in ["9223372036854775807", "-9223372036854775808", "-1", "253402300800000000"] {
            let text = Self.cursor(["p", micros, "00000000-0000-0000-0000-000000000000"])
            #expect { try ProductCatalog.decodePosition(text) } throws: { ($0 as? EmporiumError)?.code == .badUserInput }
        }
        let fine = Self.cursor(["p", "1764547200000000", "00000000-0000-0000-0000-000000000000"])
        #expect(throws: Never.self) { try ProductCatalog.decodePosition(fine) }
    }

    @Test func overlongCursorsAreRefusedBeforeDecoding() {
        let text = String(repeating: "A", count: 1 << 20)
        #expect { try Cursor(decoding: text) } throws: { ($0 as? EmporiumError)?.code == .badUserInput }
    }

    @Test func theReportedRequestAnswersBadUserInputOnRealPostgres() async throws {
        try await CatalogGraphQLTests().withHarness { harness in
            let after = Self.cursor(["p", "9223372036854775807", "00000000-0000-0000-0000-000000000000"])
            let result = await harness.run("query($after: String) { products(first: 2, after: $after) { edges { cursor } } }", ["after": .string(after)])
            #expect(result.errors.first?.extensions["code"] == .string("BAD_USER_INPUT"))
        }
    }

    /// Found by the fuzzer: a NUL in a search reached PostgreSQL, which refused it (22021), and
    /// the client got INTERNAL_SERVER_ERROR.
    @Test func searchesWithControlCharactersOrEndlessCombiningMarksAreBadInput() async throws {
        try await CatalogGraphQLTests().withHarness { harness in
            let query = "query($q: String!) { searchProducts(query: $q) { edges { cursor } } }"
            for text in ["a\u{0}b", "\u{1b}[31m", "a" + String(repeating: "\u{301}", count: 500)] {
                let result = await harness.run(query, ["q": .string(text)])
                #expect(result.errors.first?.extensions["code"] == .string("BAD_USER_INPUT"), "\(text.unicodeScalars.count) scalars")
            }
            let fine = await harness.run(query, ["q": .string("чайник\tkettle")])
            #expect(fine.errors.isEmpty)
        }
    }
}
