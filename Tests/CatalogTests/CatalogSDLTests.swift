import Catalog
import Foundation
import Graphiti
import GraphQLSupport
import Testing

@Suite struct CatalogSDLTests {
    /// Graphiti returns the SDL verbatim and checks nothing, so the hand-written SDL must be
    /// proved equal to the executable schema: types, fields, arguments and nullability.
    @Test func federationSDLMatchesTheExecutableSchema() throws {
        let schema = try CatalogSchema.build()
        let differences = try SchemaSignature.differences(sdl: CatalogSchema.sdl, schema: schema.schema)
        #expect(differences.isEmpty, "SDL and schema differ:\n\(differences.joined(separator: "\n"))")
    }

    @Test func theComparisonNoticesDrift() throws {
        let schema = try CatalogSchema.build()
        let drifted = CatalogSchema.sdl.replacingOccurrences(of: "  version: Int!", with: "  version: Int")
        let differences = try SchemaSignature.differences(sdl: drifted, schema: schema.schema)
        #expect(differences.contains("sdl-only: type Product.version: Int"))
        #expect(differences.contains("schema-only: type Product.version: Int!"))
    }
}
