import EmporiumCore
import GraphQLSupport
import HTTPTypes
import Hummingbird
import Identity
import Logging
import ServiceKit

/// Mounts a service's own HTTP route and does the edge's work around it, the same for every
/// service: the internal credential (403), the bearer token (401), the client's identity, the
/// request id (a response header, and the only thing an internal error shows), and the one table
/// from `EmporiumError` codes to HTTP statuses.
struct ServiceRouteResponder: Sendable {
    let route: ServiceRoute
    let tokens: TokenService
    let clients: ClientIdentification
    let internalCredential: InternalCredential
    let logger: Logger

    func add(to router: Router<EmporiumRequestContext>) {
        router.on(RouterPath(route.path), method: route.method) { request, context in
            await self.respond(request, context: context)
        }
    }

    func respond(_ request: Request, context: EmporiumRequestContext) async -> Response {
        let isInternal = route.visibility == .internal
        // Forwarded identity and request id are believed only from a caller with the credential.
        let trusted = isInternal && internalCredential.authorizes(request.headers)
        let requestID = (trusted ? InternalCredential.forwarded(InternalCredential.requestIDHeader, in: request.headers) : nil)
            ?? GraphQLErrorMapping.newRequestID()
        let responseHeaders = ResponseHeaders()
        var response: Response
        do {
            if isInternal, !trusted {
                throw EmporiumError(.forbidden, "this route is internal: it needs the \(InternalCredential.tokenHeader) header")
            }
            let principal = try await tokens.principal(fromAuthorization: request.headers[.authorization])
                ?? (trusted ? InternalCredential.assertedPrincipal(in: request.headers) : nil)
            let clientKey = (trusted ? InternalCredential.forwarded(InternalCredential.clientHeader, in: request.headers) : nil)
                ?? clients.key(principal: principal, headers: request.headers, peer: context.peerAddress)
            let info = GraphQLRequestInfo(
                principal: principal, headers: request.headers, isReadOnly: request.method == .get, clientKey: clientKey,
                responseHeaders: responseHeaders, requestID: requestID)
            response = try await route.handle(request, info)
        } catch let error as EmporiumError {
            response = errorResponse(error, requestID: requestID)
        } catch {
            logger.error("\(route.method) \(route.path) failed", metadata: ["error": "\(String(reflecting: error))", "request.id": "\(requestID)"])
            response = Self.internalError(requestID: requestID)
        }
        for field in responseHeaders.all { response.headers[field.name] = field.value }
        response.headers[InternalCredential.requestIDHeader] = requestID
        return response
    }

    private func errorResponse(_ error: EmporiumError, requestID: String) -> Response {
        guard let status = Self.status(of: error.code) else {
            // An internal error's message is written for operators: the log gets it, the client the id.
            logger.error("\(route.method) \(route.path) failed", metadata: ["error": "\(error.debugDescription)", "request.id": "\(requestID)"])
            return Self.internalError(requestID: requestID)
        }
        return ServiceRoute.json(status, ["error": ["code": error.code.rawValue, "message": error.message]])
    }

    /// The status of an error the client can act on; nil for errors that are the server's.
    static func status(of code: EmporiumError.Code) -> HTTPResponse.Status? {
        switch code {
        case .rateLimited: .tooManyRequests
        case .badUserInput: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        default: nil
        }
    }

    static func internalError(requestID: String) -> Response {
        ServiceRoute.json(.internalServerError, ["error": [
            "code": "INTERNAL_SERVER_ERROR", "message": "internal error; report the requestId to find the server log entry", "requestId": requestID,
        ]])
    }
}
