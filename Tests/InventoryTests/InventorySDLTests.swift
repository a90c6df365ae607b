import Foundation
import Graphiti
import GraphQLSupport
import Inventory
import Testing

@Suite struct InventorySDLTests {
    /// Graphiti returns the SDL verbatim and checks nothing, so the hand-written SDL must be
    /// proved equal to the executable schema: types, fields, arguments and nullability.
    @Test func federationSDLMatchesTheExecutableSchema() throws {
        let schema = try InventorySchema.build()
        let differences = try SchemaSignature.differences(sdl: InventorySchema.sdl, schema: schema.schema)
        #expect(differences.isEmpty, "SDL and schema differ:\n\(differences.joined(separator: "\n"))")
    }

    @Test func theComparisonNoticesDrift() throws {
        let schema = try InventorySchema.build()
        let drifted = InventorySchema.sdl.replacingOccurrences(of: "  inStock: Boolean!", with: "  inStock: Boolean")
        let differences = try SchemaSignature.differences(sdl: drifted, schema: schema.schema)
        #expect(differences.contains("sdl-only: type Product.inStock: Boolean"))
        #expect(differences.contains("schema-only: type Product.inStock: Boolean!"))
    }

    @Test func theSDLDeclaresProductAsAFederationEntity() {
        #expect(InventorySchema.sdl.contains(#"type Product @key(fields: "id")"#))
        #expect(InventorySchema.sdl.contains("https://specs.apollo.dev/federation/v2.3"))
    }
}
