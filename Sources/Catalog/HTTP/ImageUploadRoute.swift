import EmporiumCore
import Foundation
import GraphQLSupport
import HTTPTypes
import Hummingbird
import ServiceKit

/// `POST /uploads/images` (multipart/form-data: `productId`, `file`): attaches an image to a
/// product its caller sells (admins: any). The file may be 20 MB and must be JPEG, PNG or WebP
/// by its first bytes; it is streamed to disk, kept, and a job makes its sizes. Answers 201
/// with the image (`PENDING`); `Product.images` shows it `READY` (or `FAILED`, with the reason).
struct ImageUploadRoute: Sendable {
    static let maximumFileBytes = 20 * 1024 * 1024
    /// The form around the file: part headers and the product id.
    static let maximumRequestBytes = maximumFileBytes + 64 * 1024

    let catalog: ProductCatalog

    var route: ServiceRoute {
        ServiceRoute(.post, "/uploads/images", visibility: .public) { request, info in
            try await upload(request, info)
        }
    }

    struct Created: Encodable {
        struct Image: Encodable {
            let id: String
            let productId: String
            let position: Int
            let state: String
        }

        let image: Image
    }

    func upload(_ request: Request, _ info: GraphQLRequestInfo) async throws -> Response {
        // Who may upload, and what, is settled before any of the body is read.
        let principal = try catalog.requireImageUploader(info.principal)
        let tooLarge = EmporiumError(.payloadTooLarge, "an upload is at most \(Self.maximumFileBytes / (1024 * 1024)) MB")
        if let length = request.headers[.contentLength], length.utf8.count > 12 || (Int(length) ?? 0) > Self.maximumRequestBytes { throw tooLarge }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-upload-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/upload"
        let form = try UploadForm(contentType: request.headers[.contentType], filePath: path, maximumFileBytes: Self.maximumFileBytes)
        var received = 0
        for try await chunk in request.body {
            received += chunk.readableBytes
            guard received <= Self.maximumRequestBytes else { throw tooLarge }
            try form.consume(chunk)
        }
        let upload = try form.finish()
        let image = try await catalog.attachImage(
            productID: upload.productID, file: path, format: upload.format, byteSize: Int64(upload.byteSize), by: principal)
        return ServiceRoute.json(.created, Created(image: Created.Image(
            id: UUIDText.lowercase(image.id), productId: image.productID.description, position: image.position, state: image.state.rawValue.uppercased())))
    }
}
