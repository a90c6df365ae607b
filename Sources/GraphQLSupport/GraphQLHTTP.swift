import Caching
import EmporiumCore
import Foundation
import GraphQL
import HTTPTypes
import Hummingbird
import Identity
import Logging
import NIOFoundationEssentialsCompat

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
    static let graphQLResponseContentType = graphQLResponseMediaType + "; charset=utf-8"

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
    /// Told about each answered request (the public endpoint's view counters).
    let observers: [any GraphQLRequestObserver]
    /// Admission when overloaded (the public endpoint): nil admits everything.
    let gate: OverloadGate?

    /// The response header that says whether the response cache answered (`hit`) or not (`miss`).
    public static let cacheStatusHeader = "Emporium-Cache"
    static let cacheStatusField = HTTPField.Name(cacheStatusHeader)!

    public init(
        executor: any GraphQLExecutor, tokens: TokenService?, clients: ClientIdentification = ClientIdentification(),
        responseCache: ResponseCache? = nil, internalCredential: InternalCredential? = nil, observers: [any GraphQLRequestObserver] = [],
        gate: OverloadGate? = nil, logger: Logger, explorerTitle: String = "Emporium GraphQL"
    ) {
        self.executor = executor
        self.gate = gate
        self.observers = observers
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

    /// One request through the edge's stages, in order: admit (the internal credential), decode,
    /// the response cache, authenticate, execute (the executor runs its own stages: prepare,
    /// plan or execute, shape), encode. A stage that refuses answers at once. The request's
    /// context (`GraphQLRequestInfo`) is made once, here, and metrics are recorded once, here.
    func handle(_ request: Request, context: some RequestContext) async -> Response {
        let started = ContinuousClock.now
        let graphQLMediaType = Self.prefersGraphQLResponse(accept: request.headers[.accept] ?? "")
        var operationName: String?
        var decoded: GraphQLRequest?
        do {
            try admit(request, graphQLMediaType: graphQLMediaType)
            let graphQLRequest = try await decode(request, graphQLMediaType: graphQLMediaType)
            decoded = graphQLRequest
            operationName = graphQLRequest.operationName
            let cached = try await lookUpCache(graphQLRequest, request, graphQLMediaType: graphQLMediaType)
            let info = try await authenticate(request, peer: (context as? any PeerAddressProviding)?.peerAddress, graphQLMediaType: graphQLMediaType)
            let outcome = try await execute(graphQLRequest, info: info, readOnly: request.method == .get, graphQLMediaType: graphQLMediaType)
            OperationMetrics.shared.record(operation: operationName, status: OperationMetrics.status(of: outcome), duration: ContinuousClock.now - started)
            if outcome.kind == .executed { for observer in observers { observer.answered(graphQLRequest) } }
            return await encode(outcome, info: info, cache: cached, graphQLMediaType: graphQLMediaType)
        } catch let answer as EarlyAnswer {
            if let status = answer.metricsStatus {
                OperationMetrics.shared.record(operation: operationName, status: status, duration: ContinuousClock.now - started)
            }
            // A cached answer is a read like any other.
            if answer.metricsStatus == OperationMetrics.cachedStatus, let decoded {
                for observer in observers { observer.answered(decoded) }
            }
            return answer.response
        } catch {
            return Self.errorResponse(status: 400, code: "BAD_REQUEST", message: "the request could not be read", graphQLMediaType: graphQLMediaType)
        }
    }

    /// A stage's answer that ends the request before execution: a refusal, the explorer page,
    /// or a cached answer. `metricsStatus` is set for answers that count as GraphQL requests.
    struct EarlyAnswer: Error {
        let response: Response
        var metricsStatus: String?
    }

    /// Stage: admit. An internal endpoint answers only callers with the internal credential.
    private func admit(_ request: Request, graphQLMediaType: Bool) throws {
        guard let internalCredential, !internalCredential.authorizes(request.headers) else { return }
        throw EarlyAnswer(response: Self.errorResponse(
            status: 403, code: "FORBIDDEN",
            message: "this is an internal subgraph endpoint for the gateway (it needs the Emporium-Internal-Token header); clients use the gateway's /graphql",
            graphQLMediaType: graphQLMediaType))
    }

    /// Stage: decode the GraphQL-over-HTTP request (GET parameters or a POST body).
    private func decode(_ request: Request, graphQLMediaType: Bool) async throws -> GraphQLRequest {
        do {
            if request.method == .get {
                let parameters = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
                if parameters["query"] == nil, (request.headers[.accept] ?? "").contains("text/html") {
                    throw EarlyAnswer(response: Self.explorer(title: explorerTitle))
                }
                return try GraphQLRequest.decodeGET(parameters: parameters)
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: GraphQLRequest.maximumBodyBytes)
            } catch {
                throw GraphQLRequestError(status: 413, message: "the request body exceeds \(GraphQLRequest.maximumBodyBytes) bytes")
            }
            return try GraphQLRequest.decodePOST(body: Data(buffer.readableBytesView), contentType: request.headers[.contentType])
        } catch let error as GraphQLRequestError {
            throw EarlyAnswer(response: Self.errorResponse(status: error.status, code: "BAD_REQUEST", message: error.message, graphQLMediaType: graphQLMediaType))
        }
    }

    /// Where an executed answer may be stored in the response cache.
    struct CacheSlot {
        let key: ResponseCache.Key
        /// nil: the tag store is unavailable, do not store.
        let position: UInt64?
    }

    /// Stage: the response cache. Anonymous answers may come from it; an Authorization header
    /// (even an invalid one, which the next stage answers with 401) bypasses it.
    private func lookUpCache(_ graphQLRequest: GraphQLRequest, _ request: Request, graphQLMediaType: Bool) async throws -> CacheSlot? {
        guard let responseCache, request.headers[.authorization] == nil else { return nil }
        let key = ResponseCache.Key(graphQLRequest)
        switch await responseCache.lookup(key) {
        case .hit(let body, let age):
            let response = Response(status: .ok, headers: Self.cachedAnswerFields(age: age, graphQLMediaType: graphQLMediaType), body: ResponseBody(byteBuffer: body))
            throw EarlyAnswer(response: response, metricsStatus: OperationMetrics.cachedStatus)
        case .miss(let position):
            return CacheSlot(key: key, position: position)
        }
    }

    /// Stage: authenticate, and make the request's context.
    private func authenticate(_ request: Request, peer: String?, graphQLMediaType: Bool) async throws -> GraphQLRequestInfo {
        var principal: Principal?
        do {
            principal = try await tokens?.principal(fromAuthorization: request.headers[.authorization])
        } catch {
            let (code, message) = (error as? EmporiumError).map { ($0.code.rawValue, $0.message) }
                ?? (EmporiumError.Code.unauthenticated.rawValue, "the bearer token is invalid")
            throw EarlyAnswer(response: Self.errorResponse(status: 401, code: code, message: message, graphQLMediaType: graphQLMediaType))
        }
        // Past the admit stage, an internal endpoint's request came from the gateway: its
        // forwarded client identity and request id are believed.
        func forwarded(_ name: HTTPField.Name) -> String? {
            internalCredential == nil ? nil : InternalCredential.forwarded(name, in: request.headers)
        }
        if principal == nil, internalCredential != nil {
            principal = InternalCredential.assertedPrincipal(in: request.headers)
        }
        return GraphQLRequestInfo(
            principal: principal, headers: request.headers, isReadOnly: request.method == .get,
            clientKey: forwarded(InternalCredential.clientHeader) ?? clients.key(principal: principal, headers: request.headers, peer: peer),
            requestID: forwarded(InternalCredential.requestIDHeader) ?? GraphQLErrorMapping.newRequestID())
    }

    /// Stage: execute, when the gate admits it (cached answers and refusals never reach it).
    private func execute(_ graphQLRequest: GraphQLRequest, info: GraphQLRequestInfo, readOnly: Bool, graphQLMediaType: Bool) async throws -> GraphQLOutcome {
        guard let gate else { return await executor.execute(graphQLRequest, info: info) }
        // Not parsed yet: a document that names a mutation goes ahead of reads. A query that
        // merely mentions the word gains a place in line, nothing else.
        let priority: OverloadGate.Priority = !readOnly && graphQLRequest.query.contains("mutation") ? .write : .read
        guard let outcome = await gate.run(priority, { await executor.execute(graphQLRequest, info: info) }) else {
            throw EarlyAnswer(
                response: Self.errorResponse(
                    status: 503, code: EmporiumError.Code.unavailable.rawValue,
                    message: "the server is busy and did not run this operation; retry after \(Self.overloadRetrySeconds) s",
                    graphQLMediaType: graphQLMediaType, headers: [.retryAfter: "\(Self.overloadRetrySeconds)"]),
                metricsStatus: OperationMetrics.overloadedStatus)
        }
        return outcome
    }

    /// What a refused client is told to wait: about the longest a line is allowed to take.
    static let overloadRetrySeconds = 1

    /// Stage: encode the outcome, with the headers resolvers set, and offer it to the cache.
    private func encode(_ outcome: GraphQLOutcome, info: GraphQLRequestInfo, cache: CacheSlot?, graphQLMediaType: Bool) async -> Response {
        let status: HTTPResponse.Status = switch outcome.kind {
        case .methodNotAllowed: .methodNotAllowed
        case .requestError: graphQLMediaType ? .badRequest : .ok
        case .executed: .ok
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        outcome.writeJSON(into: &bytes)
        let body = ByteBuffer(bytes: bytes)
        var response = Self.response(body, status: status, graphQLMediaType: graphQLMediaType)
        if outcome.kind == .methodNotAllowed { response.headers[.allow] = "POST" }
        for field in info.responseHeaders.all { response.headers[field.name] = field.value }
        // What a client quotes when it reports a problem; the server's log lines carry it too.
        response.headers[InternalCredential.requestIDHeader] = info.requestID
        if let responseCache, let cache {
            response.headers[Self.cacheStatusField] = "miss"
            if let position = cache.position, let maxAge = outcome.cacheMaxAge, outcome.kind == .executed, outcome.errors.isEmpty {
                await responseCache.store(cache.key, body: body, tags: info.responseTags.all, maxAge: maxAge, since: position)
            }
        } else if internalCredential != nil, let tags = info.responseTags.headerValue {
            response.headers[HTTPField.Name(ResponseTags.headerName)!] = tags
        }
        return response
    }

    /// Whether the Accept header names the GraphQL response media type (in any case).
    static func prefersGraphQLResponse(accept: String) -> Bool {
        accept.containsBytes(of: graphQLResponseMediaType, ignoringASCIICase: true)
    }

    static func encode(_ result: GraphQLResult, status: HTTPResponse.Status, graphQLMediaType: Bool) -> Response {
        response(ByteBuffer(data: ResponseJSON.encode(result)), status: status, graphQLMediaType: graphQLMediaType)
    }

    static func response(_ body: ByteBuffer, status: HTTPResponse.Status, graphQLMediaType: Bool) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType(graphQLMediaType: graphQLMediaType)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    static func contentType(graphQLMediaType: Bool) -> String {
        graphQLMediaType ? graphQLResponseContentType : "application/json; charset=utf-8"
    }

    /// The headers of an answer from the response cache, wherever it is served.
    static func cachedAnswerFields(age: Duration, graphQLMediaType: Bool) -> HTTPFields {
        var fields = HTTPFields()
        fields.reserveCapacity(6)
        fields[.contentType] = contentType(graphQLMediaType: graphQLMediaType)
        fields[cacheStatusField] = "hit"
        fields[.age] = String(max(age.components.seconds, 0))
        return fields
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
