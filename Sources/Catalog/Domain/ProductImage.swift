import EmporiumCore
import Foundation
public import Imaging

/// An image uploaded for a product. The upload is kept as it came; a job makes its sizes
/// (``ImageSize``, each in every ``ThumbnailFormat``) and marks it ready, or failed with a reason
/// the seller can act on.
public struct ProductImage: Sendable, Equatable {
    public enum State: String, Sendable {
        case pending, ready, failed
    }

    public let id: UUID
    public let productID: ProductID
    /// Display order within the product (the order of upload).
    public let position: Int
    public let uploadedBy: UserID
    public let sourceFormat: ImageFormat
    public let byteSize: Int64
    public var state: State
    /// The upload's size in pixels, once the job has read it.
    public var width: Int?
    public var height: Int?
    public var error: String?
    public let createdAt: Date
    public var processedAt: Date?

    public init(
        id: UUID, productID: ProductID, position: Int, uploadedBy: UserID, sourceFormat: ImageFormat, byteSize: Int64, state: State,
        width: Int? = nil, height: Int? = nil, error: String? = nil, createdAt: Date, processedAt: Date? = nil
    ) {
        self.id = id
        self.productID = productID
        self.position = position
        self.uploadedBy = uploadedBy
        self.sourceFormat = sourceFormat
        self.byteSize = byteSize
        self.state = state
        self.width = width
        self.height = height
        self.error = error
        self.createdAt = createdAt
        self.processedAt = processedAt
    }

    var idText: String { UUIDText.lowercase(id) }

    /// Where the upload is kept.
    var originalKey: String { "images/\(idText)/original" }

    /// Where one size in one format is kept.
    func fileKey(_ size: ImageSize, _ format: ThumbnailFormat) -> String { "images/\(idText)/\(size.pixels).\(format.fileExtension)" }

    /// Every blob of the image.
    var allKeys: [String] { [originalKey] + ImageSize.allCases.flatMap { size in ThumbnailFormat.allCases.map { fileKey(size, $0) } } }

    /// The path one size is served at (`GET /images/{id}/{pixels}.{jpg|webp}`), once ready.
    public func path(_ size: ImageSize, _ format: ThumbnailFormat) -> String? {
        state == .ready ? "/images/\(idText)/\(size.pixels).\(format.fileExtension)" : nil
    }
}

/// The sizes made of every image: each fits a square box of `pixels` (never enlarged).
public enum ImageSize: String, Sendable, CaseIterable {
    case thumbnail, small, medium, large, xlarge

    public var pixels: Int {
        switch self {
        case .thumbnail: 64
        case .small: 160
        case .medium: 320
        case .large: 640
        case .xlarge: 1280
        }
    }

    public init?(pixels: Int) {
        guard let size = Self.allCases.first(where: { $0.pixels == pixels }) else { return nil }
        self = size
    }
}

/// Product images, their files and the job that makes their sizes.
public protocol ImageStore: Sendable {
    /// Keeps the file at `originalFile` and records the image with its job, refusing the
    /// upload (`CONFLICT`) when the product already has `maximumPerProduct` images.
    func attach(_ image: ProductImage, originalFile: String, maximumPerProduct: Int) async throws -> ProductImage
    func image(id: UUID) async throws -> ProductImage?
    /// The images of each product, in display order.
    func images(of products: [ProductID]) async throws -> [ProductID: [ProductImage]]
    /// Forgets the image and its files; false when there was none.
    func remove(id: UUID, at now: Date) async throws -> Bool
}
