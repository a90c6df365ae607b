import Foundation
import GraphQLExecution
import GraphQLSupport
import Inventory
import Testing

@Suite struct InventorySDLTests {
    /// The SDL is the schema's one description: building the executable schema checks that
    /// every field it declares has a resolver and no resolver is left without a field.
    @Test func everyFieldOfTheSDLHasAResolver() throws {
        let schema = try InventorySchema.build()
        #expect(schema.sdl == InventorySchema.sdl)
    }

    @Test func aFieldWithoutAResolverStopsTheSchemaAtStartUp() throws {
        let drifted = InventorySchema.sdl.replacingOccurrences(of: "  inStock: Boolean!", with: "  inStock: Boolean!\n  weightGrams: Int")
        let error = try #require(throws: SchemaDefinitionError.self) { try InventorySchema.build(sdl: drifted) }
        #expect(error.problems == ["Product.weightGrams has no resolver"])
    }

    @Test func theSDLDeclaresProductAsAFederationEntity() {
        #expect(InventorySchema.sdl.contains(#"type Product @key(fields: "id")"#))
        #expect(InventorySchema.sdl.contains("https://specs.apollo.dev/federation/v2.3"))
    }
}
