import Blobs
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import Imaging
import ServiceKit

/// `GET /images/{id}/{pixels}.{jpg|webp}`: one size of a ready product image, streamed from its
/// blob. A size's bytes never change for an id (a new upload is a new id), so answers may be
/// kept for a year by browsers and CDNs. Image ids are random: the path is the permission, as
/// with a CDN's URLs (product pages show them to everyone).
struct ImageFileRoute: Sendable {
    let images: PostgresImageStore

    var route: ServiceRoute {
        ServiceRoute(.get, "/images/:id/:file", visibility: .public) { request, _ in
            try await serve(request)
        }
    }

    func serve(_ request: Request) async throws -> Response {
        let notFound = EmporiumError.notFound("no such image file")
        let segments = request.uri.path.split(separator: "/")
        guard segments.count == 3, segments[0] == "images", let id = UUIDText.parse(String(segments[1])) else { throw notFound }
        let name = segments[2].split(separator: ".")
        guard name.count == 2, name[0].utf8.count <= 5, let pixels = Int(name[0]), let size = ImageSize(pixels: pixels),
              let format = ThumbnailFormat.allCases.first(where: { $0.fileExtension == name[1] }),
              let (key, info) = try await images.file(id: id, size: size, format: format)
        else { throw notFound }
        var headers = HTTPFields()
        headers[.contentType] = info.contentType
        headers[.contentLength] = String(info.size)
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        let images = images
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            _ = try await images.read(key) { chunk in try await writer.write(chunk) }
            try await writer.finish(nil)
        })
    }
}
