import Caching
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
    /// Answers for anonymous clients (the public endpoint).
    let responseCache: ResponseCache?
    /// Set on a subgraph endpoint: it is internal, answers only requests that carry this
    /// credential, believes their forwarded client identity, and reports its answer's tags in the
    /// `Emporium-Cache-Tags` header for the gateway's cache. Nil on the public endpoint.
    let internalCredential: InternalCredential?

    /// The response header that says whether the response cache answered (`hit`) or not (`miss`).
    public static let cacheStatusHeader = "Emporium-Cache"

    public init(
        executor: any GraphQLExecutor, tokens: TokenService?, clients: ClientIdentification = ClientIdentification(),
        responseCache: ResponseCache? = nil, internalCredential: InternalCredential? = nil, logger: Logger,
        explorerTitle: String = "Emporium GraphQL"
    ) {
        self.executor = executor
        self.responseCache = responseCache
        self.internalCredential = internalCredential
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
        if let internalCredential, !internalCredential.authorizes(request.headers) {
            return Self.errorResponse(
                status: 403, code: "FORBIDDEN",
                message: "this is an internal subgraph endpoint for the gateway (it needs the Emporium-Internal-Token header); clients use the gateway's /graphql",
                graphQLMediaType: useGraphQLMediaType)
        }
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

        // Anonymous answers may come from the cache; an Authorization header (even an invalid
        // one, which then answers 401 below) bypasses it.
        let cacheKey = responseCache != nil && request.headers[.authorization] == nil ? ResponseCache.Key(graphQLRequest) : nil
        var cachePosition: UInt64?
        if let responseCache, let cacheKey {
            let start = ContinuousClock.now
            switch await responseCache.lookup(cacheKey) {
            case .hit(let body, let age):
                // Counted like an executed request (only answers without errors are cached), so
                // per-operation request rates stay true.
                OperationMetrics.shared.record(
                    operation: graphQLRequest.operationName, outcome: GraphQLOutcome(kind: .executed, result: GraphQLResult()),
                    duration: ContinuousClock.now - start)
                var response = Self.response(body, status: .ok, graphQLMediaType: useGraphQLMediaType)
                response.headers[HTTPField.Name(Self.cacheStatusHeader)!] = "hit"
                response.headers[.age] = String(age.components.seconds)
                return response
            case .miss(let position):
                cachePosition = position
            }
        }

        let principal: Principal?
        do {
            principal = try await tokens?.principal(fromAuthorization: request.headers[.authorization])
        } catch let error as EmporiumError {
            return Self.errorResponse(status: 401, code: error.code.rawValue, message: error.message, graphQLMediaType: useGraphQLMediaType)
        } catch {
            return Self.errorResponse(status: 401, code: EmporiumError.Code.unauthenticated.rawValue, message: "the bearer token is invalid", graphQLMediaType: useGraphQLMediaType)
        }

        // Past the credential check above, an internal endpoint's request came from the gateway.
        func forwarded(_ name: HTTPField.Name) -> String? {
            internalCredential == nil ? nil : InternalCredential.forwarded(name, in: request.headers)
        }
        let clientKey = forwarded(InternalCredential.clientHeader)
            ?? clients.key(principal: principal, headers: request.headers, peer: (context as? any PeerAddressProviding)?.peerAddress)
        let info = GraphQLRequestInfo(
            principal: principal, headers: request.headers, isReadOnly: request.method == .get, clientKey: clientKey,
            requestID: forwarded(InternalCredential.requestIDHeader) ?? GraphQLErrorMapping.newRequestID())
        let start = ContinuousClock.now
        let outcome = await executor.execute(graphQLRequest, info: info)
        OperationMetrics.shared.record(operation: graphQLRequest.operationName, outcome: outcome, duration: ContinuousClock.now - start)
        var status = HTTPResponse.Status.ok
        switch outcome.kind {
        case .methodNotAllowed: status = .methodNotAllowed
        case .requestError: status = useGraphQLMediaType ? .badRequest : .ok
        case .executed: break
        }
        let body = ByteBuffer(data: ResponseJSON.encode(outcome.result))
        var response = Self.response(body, status: status, graphQLMediaType: useGraphQLMediaType)
        if outcome.kind == .methodNotAllowed { response.headers[.allow] = "POST" }
        for field in info.responseHeaders.all { response.headers[field.name] = field.value }
        // What a client quotes when it reports a problem; the server's log lines carry it too.
        response.headers[InternalCredential.requestIDHeader] = info.requestID
        if let responseCache, let cacheKey {
            response.headers[HTTPField.Name(Self.cacheStatusHeader)!] = "miss"
            if let cachePosition, let maxAge = outcome.cacheMaxAge, outcome.kind == .executed, outcome.result.errors.isEmpty {
                await responseCache.store(cacheKey, body: body, tags: info.responseTags.all, maxAge: maxAge, since: cachePosition)
            }
        } else if internalCredential != nil, let tags = info.responseTags.headerValue {
            response.headers[HTTPField.Name(ResponseTags.headerName)!] = tags
        }
        return response
    }

    static func prefersGraphQLResponse(accept: String) -> Bool {
        accept.lowercased().contains(graphQLResponseMediaType)
    }

    static func encode(_ result: GraphQLResult, status: HTTPResponse.Status, graphQLMediaType: Bool) -> Response {
        response(ByteBuffer(data: ResponseJSON.encode(result)), status: status, graphQLMediaType: graphQLMediaType)
    }

    static func response(_ body: ByteBuffer, status: HTTPResponse.Status, graphQLMediaType: Bool) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = graphQLMediaType ? "\(graphQLResponseMediaType); charset=utf-8" : "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
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
