import Catalog
import Foundation
import GraphQLExecution
import GraphQLSupport
import Testing

@Suite struct CatalogSDLTests {
    /// The SDL is the schema's one description: building the executable schema checks that
    /// every field it declares has a resolver and no resolver is left without a field.
    @Test func everyFieldOfTheSDLHasAResolver() throws {
        let schema = try CatalogSchema.build()
        #expect(schema.sdl == CatalogSchema.sdl)
    }

    @Test func aFieldWithoutAResolverStopsTheSchemaAtStartUp() throws {
        let drifted = CatalogSchema.sdl.replacingOccurrences(of: "  version: Int!", with: "  version: Int!\n  weightGrams: Int")
        let error = try #require(throws: SchemaDefinitionError.self) { try CatalogSchema.build(sdl: drifted) }
        #expect(error.problems == ["Product.weightGrams has no resolver"])
    }
}
