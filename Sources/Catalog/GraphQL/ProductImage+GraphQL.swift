import EmporiumCore
import GraphQLExecution
import GraphQLSupport
import Imaging

extension ProductImage: GraphQLObject {
    var stateValue: ProductImageStateValue { ProductImageStateValue(rawValue: state.rawValue.uppercased()) ?? .FAILED }

    /// `url(size:format:)`: both arguments are enums with defaults, so the executor hands over a
    /// valid name; anything else is answered as the default.
    func url(_ arguments: FieldArguments) -> String? {
        let size = arguments.string("size").flatMap { ImageSize(rawValue: $0.lowercased()) } ?? .large
        let format: ThumbnailFormat = arguments.string("format") == "JPEG" ? .jpeg : .webp
        return path(size, format)
    }
}

enum ProductImageStateValue: String, GraphQLEnum {
    case PENDING, READY, FAILED
}

extension Product {
    /// The images of a level's products, one query for the level.
    @Sendable static func images(_ products: [Product], _: FieldArguments, context: CatalogContext) async throws -> [[ProductImage]] {
        try await context.catalog.images(of: products, viewer: context.principal)
    }

    /// The deprecated `imageUrls`: the links given with the product, then every ready upload's
    /// largest JPEG (the one size every client can show).
    @Sendable static func imageURLList(_ products: [Product], _: FieldArguments, context: CatalogContext) async throws -> [[String]] {
        let images = try await context.catalog.images(of: products, viewer: context.principal)
        return zip(products, images).map { product, images in product.imageURLs + images.compactMap { $0.path(.xlarge, .jpeg) } }
    }
}

extension CatalogResolver {
    @Sendable static func removeProductImage(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> Bool {
        let text = try arguments.requiredString("id")
        guard let id = UUIDText.parse(text) else { throw EmporiumError.badInput("'\(text.prefix(64))' is not an image id", field: "id") }
        return try await context.catalog.removeImage(id: id, by: context.principal)
    }
}
