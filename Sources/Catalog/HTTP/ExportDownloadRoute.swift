import EmporiumCore
import Foundation
import GraphQLSupport
import HTTPTypes
import Hummingbird
import ServiceKit

/// `GET /exports/{id}/download?expires=…&signature=…`: an export's file, streamed from its blob
/// a chunk at a time. The link itself is the permission (signed by the catalog, valid for 15
/// minutes, handed out by `exportJob` to its requester): a browser can follow it without a
/// token. A link altered or expired is 403, an export not complete 404.
struct ExportDownloadRoute: Sendable {
    let exports: PostgresExportStore
    let clock: any TimeSource

    var route: ServiceRoute {
        ServiceRoute(.get, "/exports/:id/download", visibility: .public) { request, _ in
            try await download(request)
        }
    }

    func download(_ request: Request) async throws -> Response {
        let segments = request.uri.path.split(separator: "/")
        guard segments.count == 3, segments[0] == "exports", segments[2] == "download" else { throw EmporiumError.notFound("no such download") }
        let parameters = request.uri.queryParameters
        let export = try await exports.verifiedDownload(
            id: String(segments[1]), expires: parameters["expires"].map(String.init), signature: parameters["signature"].map(String.init), now: clock.now())
        let day = ISO8601DateFormatter.string(from: export.createdAt, timeZone: TimeZone(secondsFromGMT: 0) ?? .current, formatOptions: [.withFullDate])
        var headers = HTTPFields()
        headers[.contentType] = export.format.contentType
        headers[.contentDisposition] = "attachment; filename=\"products-\(day).\(export.format.rawValue)\""
        headers[.cacheControl] = "private, no-store"
        let exports = exports
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            _ = try await exports.readFile(export) { chunk in try await writer.write(chunk) }
            try await writer.finish(nil)
        })
    }
}
