import EmporiumCore
import Foundation
import GraphQL
import HTTPTypes
import Hummingbird
import Identity
import Logging

/// GraphQL over HTTP (the GraphQL-over-HTTP spec) on a Hummingbird router.
///
/// - POST with `application/json` (or `application/graphql`); GET with query parameters
///   (queries only). A browser asking for HTML at GET gets the explorer page.
/// - Responses are `application/graphql-response+json` when the client accepts it (then a
///   request that fails to parse or validate answers 400), otherwise `application/json` with 200.
/// - A malformed request body is 400, a wrong Content-Type 415, a too-large body 413, an invalid
///   token 401 — never 500.
public struct GraphQLHTTP: Sendable {
    public static let graphQLResponseMediaType = "application/graphql-response+json"

    let executor: any GraphQLExecutor
    let tokens: TokenService?
    let clients: ClientIdentification
    let logger: Logger
    let explorerTitle: String

    public init(
        executor: any GraphQLExecutor, tokens: TokenService?, clients: ClientIdentification = ClientIdentification(),
        logger: Logger, explorerTitle: String = "Emporium GraphQL"
    ) {
        self.executor = executor
        self.tokens = tokens
        self.clients = clients
        self.logger = logger
        self.explorerTitle = explorerTitle
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>, path: RouterPath = "/graphql") {
        router.post(path) { request, context in
            await self.handle(request, context: context)
        }
        router.get(path) { request, context in
            await self.handle(request, context: context)
        }
    }

    func handle(_ request: Request, context: some RequestContext) async -> Response {
        let accept = request.headers[.accept] ?? ""
        let useGraphQLMediaType = Self.prefersGraphQLResponse(accept: accept)
        let graphQLRequest: GraphQLRequest
        do {
            if request.method == .get {
                let parameters = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
                if parameters["query"] == nil, accept.contains("text/html") {
                    return Self.explorer(title: explorerTitle)
                }
                graphQLRequest = try GraphQLRequest.decodeGET(parameters: parameters)
            } else {
                let buffer: ByteBuffer
                do {
                    buffer = try await request.body.collect(upTo: GraphQLRequest.maximumBodyBytes)
                } catch {
                    throw GraphQLRequestError(status: 413, message: "the request body exceeds \(GraphQLRequest.maximumBodyBytes) bytes")
                }
                graphQLRequest = try GraphQLRequest.decodePOST(body: Data(buffer: buffer), contentType: request.headers[.contentType])
            }
        } catch let error as GraphQLRequestError {
            return Self.errorResponse(status: error.status, code: "BAD_REQUEST", message: error.message, graphQLMediaType: useGraphQLMediaType)
        } catch {
            return Self.errorResponse(status: 400, code: "BAD_REQUEST", message: "the request could not be read", graphQLMediaType: useGraphQLMediaType)
        }

        let principal: Principal?
        do {
            principal = try await tokens?.principal(fromAuthorization: request.headers[.authorization])
        } catch let error as EmporiumError {
            return Self.errorResponse(status: 401, code: error.code.rawValue, message: error.message, graphQLMediaType: useGraphQLMediaType)
        } catch {
            return Self.errorResponse(status: 401, code: EmporiumError.Code.unauthenticated.rawValue, message: "the bearer token is invalid", graphQLMediaType: useGraphQLMediaType)
        }

        let clientKey = clients.key(principal: principal, headers: request.headers, peer: (context as? any PeerAddressProviding)?.peerAddress)
        let info = GraphQLRequestInfo(principal: principal, headers: request.headers, isReadOnly: request.method == .get, clientKey: clientKey)
        let start = ContinuousClock.now
        let outcome = await executor.execute(graphQLRequest, info: info)
        OperationMetrics.shared.record(operation: graphQLRequest.operationName, outcome: outcome, duration: ContinuousClock.now - start)
        var status = HTTPResponse.Status.ok
        switch outcome.kind {
        case .methodNotAllowed: status = .methodNotAllowed
        case .requestError: status = useGraphQLMediaType ? .badRequest : .ok
        case .executed: break
        }
        var response = Self.encode(outcome.result, status: status, graphQLMediaType: useGraphQLMediaType)
        if outcome.kind == .methodNotAllowed { response.headers[.allow] = "POST" }
        for field in info.responseHeaders.all { response.headers[field.name] = field.value }
        return response
    }

    static func prefersGraphQLResponse(accept: String) -> Bool {
        accept.lowercased().contains(graphQLResponseMediaType)
    }

    static func encode(_ result: GraphQLResult, status: HTTPResponse.Status, graphQLMediaType: Bool) -> Response {
        let data = ResponseJSON.encode(result)
        var headers = HTTPFields()
        headers[.contentType] = graphQLMediaType ? "\(graphQLResponseMediaType); charset=utf-8" : "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }

    public static func errorResponse(status: Int, code: String, message: String, graphQLMediaType: Bool, headers extra: HTTPFields = [:]) -> Response {
        let error = GraphQLError(message: message, locations: [], path: [], extensions: ["code": .string(code)])
        var response = encode(GraphQLResult(errors: [error]), status: HTTPResponse.Status(code: status), graphQLMediaType: graphQLMediaType)
        for field in extra { response.headers.append(field) }
        return response
    }

    static func explorer(title: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: ExplorerPage.html(title: title))))
    }
}
