import Blobs
import Contracts
import Database
import EmporiumCore
import Foundation
import Imaging
import Jobs
import Logging
import Messaging
import PostgresNIO

/// Product images on PostgreSQL: the row, the upload and its sizes as blobs, and the job
/// (`catalog.product-image`, queue `images`) that makes the sizes.
public struct PostgresImageStore: ImageStore {
    static let kind = "catalog.product-image"
    static let queue = "images"

    struct Payload: Codable, Sendable {
        var imageId: String
    }

    let client: PostgresClient
    let jobs: JobQueue
    let blobs: any BlobStore
    let products: PostgresProductStore
    let logger: Logger

    public init(client: PostgresClient, jobs: JobQueue, blobs: any BlobStore, products: PostgresProductStore, logger: Logger) {
        self.client = client
        self.jobs = jobs
        self.blobs = blobs
        self.products = products
        self.logger = logger
    }

    static let columns = "id, product_id, position, uploaded_by, source_format, byte_size, state, width, height, error, created_at, processed_at"
    typealias Row = (UUID, UUID, Int32, String, String, Int64, String, Int32?, Int32?, String?, Date, Date?)

    static func decode(_ row: Row) throws -> ProductImage {
        guard let format = ImageFormat(rawValue: row.4), let state = ProductImage.State(rawValue: row.6) else {
            throw EmporiumError(.internalError, "a stored product image is malformed")
        }
        return ProductImage(
            id: row.0, productID: ProductID(uuid: row.1), position: Int(row.2), uploadedBy: UserID(row.3), sourceFormat: format, byteSize: row.5,
            state: state, width: row.7.map(Int.init), height: row.8.map(Int.init), error: row.9, createdAt: row.10, processedAt: row.11)
    }

    public func attach(_ image: ProductImage, originalFile: String, maximumPerProduct: Int) async throws -> ProductImage {
        guard let key = BlobKey(image.originalKey) else { throw EmporiumError(.internalError, "an image key is not a blob key") }
        // The upload is kept first: a row never names a file that is not there. Should the row
        // not be written, the file is removed again.
        try await blobs.put(key, fromFile: originalFile, contentType: image.sourceFormat.contentType)
        do {
            let (logger, jobs, products) = (logger, jobs, products)
            return try await client.transaction(logger: logger) { connection in
                // The product's row lock orders concurrent uploads: the count and position hold.
                guard try await products.lockProduct(image.productID, on: connection) != nil else {
                    throw EmporiumError.notFound("no product with id \(image.productID)")
                }
                let counts = try await connection.query("""
                    SELECT count(*)::bigint, coalesce(max(position), -1)::bigint FROM catalog.product_images
                    WHERE product_id = \(image.productID.uuid) AND state <> 'failed'
                    """, logger: logger).decode((Int64, Int64).self).collectAll()
                let (count, last) = counts.first ?? (0, -1)
                guard count < maximumPerProduct else {
                    throw EmporiumError(.conflict, "the product has \(count) images already, the most it may have; remove one first")
                }
                let position = Int32(clamping: last + 1)
                try await connection.query("""
                    INSERT INTO catalog.product_images (id, product_id, position, uploaded_by, source_format, byte_size, state, created_at)
                    VALUES (\(image.id), \(image.productID.uuid), \(position), \(image.uploadedBy.rawValue), \(image.sourceFormat.rawValue),
                            \(image.byteSize), 'pending', \(image.createdAt))
                    """, logger: logger)
                _ = try await jobs.enqueue(JobRequest(
                    kind: Self.kind, payload: Payload(imageId: image.idText), queue: Self.queue, maxAttempts: 3, timeout: .seconds(120)),
                    on: connection)
                return ProductImage(
                    id: image.id, productID: image.productID, position: Int(position), uploadedBy: image.uploadedBy, sourceFormat: image.sourceFormat,
                    byteSize: image.byteSize, state: .pending, createdAt: image.createdAt)
            }
        } catch {
            try? await blobs.delete(key)
            throw error
        }
    }

    public func image(id: UUID) async throws -> ProductImage? {
        try await client.query("SELECT \(unescaped: Self.columns) FROM catalog.product_images WHERE id = \(id)", logger: logger)
            .decode(Row.self).collectAll().map(Self.decode).first
    }

    public func images(of products: [ProductID]) async throws -> [ProductID: [ProductImage]] {
        guard !products.isEmpty else { return [:] }
        let rows = try await client.query("""
            SELECT \(unescaped: Self.columns) FROM catalog.product_images
            WHERE product_id = ANY(\(products.map(\.uuid))) ORDER BY product_id, position
            """, logger: logger).decode(Row.self).collectAll()
        return Dictionary(grouping: try rows.map(Self.decode), by: \.productID)
    }

    public func remove(id: UUID, at now: Date) async throws -> Bool {
        let (logger, products) = (logger, products)
        let removed: ProductImage? = try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "DELETE FROM catalog.product_images WHERE id = \(id) RETURNING \(unescaped: Self.columns)", logger: logger
            ).decode(Row.self).collectAll()
            guard let image = try rows.first.map(Self.decode) else { return nil }
            if image.state == .ready { try await announce(image.productID, products: products, at: now, on: connection) }
            return image
        }
        guard let removed else { return false }
        await deleteFiles(of: removed)
        return true
    }

    /// The blobs go after the row: a crash between leaves unreferenced files, never a row
    /// pointing at missing ones.
    private func deleteFiles(of image: ProductImage) async {
        for key in image.allKeys.compactMap(BlobKey.init) {
            do { try await blobs.delete(key) } catch {
                logger.warning("an image file was not deleted", metadata: ["blob": "\(key)", "error": "\(String(reflecting: error))"])
            }
        }
    }

    /// `ProductUpdated` (images), so that cached answers showing the product are dropped.
    private func announce(_ productID: ProductID, products: PostgresProductStore, at now: Date, on connection: PostgresConnection) async throws {
        guard let product = try await products.lockProduct(productID, on: connection) else { return }
        let event = ProductUpdated(product: ProductEvents.snapshot(of: product), changedFields: ["images", "imageUrls"])
        try await products.outbox.append([try EventEnvelope(event, occurredAt: now)], on: connection, logger: logger)
    }

    // MARK: The job

    /// Makes every size of a pending image. An image that cannot be used (not an image, damaged,
    /// too large) is marked failed with the reason and its job discarded at once; other failures
    /// (the database, the disk) are thrown and retried.
    func process(id: UUID, thumbnailer: any Thumbnailer, at now: @Sendable () -> Date) async throws {
        guard let image = try await image(id: id), image.state == .pending else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-image-\(image.idText)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let original = directory + "/original"
        guard let originalKey = BlobKey(image.originalKey), try await copy(originalKey, to: original) else {
            try await fail(image, "the uploaded file is missing; upload the image again", at: now())
            throw UnretryableJobError("image \(image.idText): the uploaded file is missing")
        }
        let made: Thumbnails
        do {
            made = try await thumbnailer.thumbnails(of: original, sizes: ImageSize.allCases.map(\.pixels), into: directory)
        } catch let error as ImagingError where error.reason != .failed {
            try await fail(image, error.message, at: now())
            throw UnretryableJobError("image \(image.idText): \(error.message)")
        }
        for rendition in made.renditions {
            guard let size = ImageSize(pixels: rendition.size), let key = BlobKey(image.fileKey(size, rendition.format)) else { continue }
            try await blobs.put(key, fromFile: rendition.path, contentType: rendition.format.contentType)
        }
        let (logger, products, finished) = (logger, products, now())
        let ready: Bool = try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE catalog.product_images SET state = 'ready', width = \(Int32(clamping: made.width)), height = \(Int32(clamping: made.height)),
                    error = NULL, processed_at = \(finished)
                WHERE id = \(id) AND state = 'pending' RETURNING id
                """, logger: logger).decode(UUID.self).collectAll()
            guard !rows.isEmpty else { return false }
            try await announce(image.productID, products: products, at: finished, on: connection)
            return true
        }
        // Removed while its sizes were made: they belong to nothing.
        if !ready, try await self.image(id: id) == nil { await deleteFiles(of: image) }
    }

    private func fail(_ image: ProductImage, _ reason: String, at now: Date) async throws {
        try await client.query("""
            UPDATE catalog.product_images SET state = 'failed', error = \(String(reason.prefix(500))), processed_at = \(now)
            WHERE id = \(image.id) AND state = 'pending'
            """, logger: logger)
    }

    /// Writes a blob to a file; false when there is no such blob.
    private func copy(_ key: BlobKey, to path: String) async throws -> Bool {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw EmporiumError(.internalError, "cannot write the temporary file \(path)")
        }
        defer { try? handle.close() }
        return try await blobs.read(key) { chunk in try handle.write(contentsOf: chunk.readableBytesView) }
    }

    // MARK: Serving

    /// The blob of one size of a ready image; nil when there is none.
    func file(id: UUID, size: ImageSize, format: ThumbnailFormat) async throws -> (BlobKey, BlobInfo)? {
        guard let image = try await image(id: id), image.state == .ready, let key = BlobKey(image.fileKey(size, format)),
              let info = try await blobs.info(key)
        else { return nil }
        return (key, info)
    }

    func read(_ key: BlobKey, _ body: (ByteBuffer) async throws -> Void) async throws -> Bool {
        try await blobs.read(key, body)
    }
}
