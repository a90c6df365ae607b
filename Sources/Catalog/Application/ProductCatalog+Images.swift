import EmporiumCore
import Foundation
import Identity
import Imaging

extension ProductCatalog {
    /// More would make a product page heavy and is a sign of a script gone wrong.
    public static let maximumImagesPerProduct = 20

    /// Who may upload at all (a seller or an admin), checked before any of the upload is read.
    public func requireImageUploader(_ principal: Principal?) throws -> Principal {
        try Permissions.require(principal, anyOf: [.seller])
    }

    /// Attaches an uploaded file (its format already told by its first bytes) to a product its
    /// seller owns (admins: any); the sizes are made by a job.
    public func attachImage(productID text: String, file: String, format: ImageFormat, byteSize: Int64, by principal: Principal?) async throws -> ProductImage {
        let images = try requireImages()
        let caller = try requireImageUploader(principal)
        let id = try ProductID(parsing: text, field: "productId")
        guard let product = try await products.product(id: id), isVisible(product, to: caller) else {
            throw EmporiumError.notFound("no product with id \(id)")
        }
        guard caller.isAdmin || product.sellerID == caller.userID else {
            throw EmporiumError(.forbidden, "only the product's seller (or an admin) adds its images")
        }
        let image = ProductImage(
            id: UUID(), productID: id, position: 0, uploadedBy: caller.userID, sourceFormat: format, byteSize: byteSize, state: .pending,
            createdAt: Self.millisecondPrecision(clock.now()))
        return try await images.attach(image, originalFile: file, maximumPerProduct: Self.maximumImagesPerProduct)
    }

    /// The images of a level's products: the ready ones for everyone, and for the seller and
    /// admins also those still being made or failed (with the reason).
    public func images(of products: [Product], viewer: Principal?) async throws -> [[ProductImage]] {
        guard let images, !products.isEmpty else { return products.map { _ in [] } }
        let found = try await images.images(of: products.map(\.id))
        return visibleParts(found, of: products, viewer: viewer) { $0.state == .ready }
    }

    /// Removes an image (its seller or an admin); its files go with it.
    public func removeImage(id: UUID, by principal: Principal?) async throws -> Bool {
        let images = try requireImages()
        let caller = try requireImageUploader(principal)
        guard let image = try await images.image(id: id), let product = try await products.product(id: image.productID),
              caller.isAdmin || product.sellerID == caller.userID
        else { throw EmporiumError.notFound("no image with id \(UUIDText.lowercase(id))") }
        return try await images.remove(id: id, at: clock.now())
    }

    private func requireImages() throws -> any ImageStore {
        guard let images else { throw EmporiumError(.unavailable, "image uploads are not available in this deployment") }
        return images
    }
}
