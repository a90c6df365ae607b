import Foundation
import GraphQL
import GraphQLSupport
import HTTPTypes
import Synchronization
import Testing
@testable import Gateway
import AsyncHTTPClient

@Suite("Gateway protection and transports")
struct GatewayProtectionTests {
    private func gateway(_ configuration: GatewayConfiguration = GatewayConfiguration(), transport: any SubgraphTransport) throws -> FederationGateway {
        FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport, configuration: configuration)
    }

    private static let products: RecordingTransport.Handler = { _ in
        SubgraphResponse(data: ["topProducts": [["name": "A", "price": 1]], "product": ["name": "A"]])
    }

    private func code(_ query: String, _ limits: OperationLimits, variables: [String: Map] = [:]) async throws -> (GraphQLOutcome, Int) {
        let transport = RecordingTransport(["products": Self.products])
        let outcome = try await gateway(GatewayConfiguration(limits: limits), transport: transport)
            .execute(GraphQLRequest(query: query, variables: variables), info: GraphQLRequestInfo(principal: nil))
        return (outcome, transport.requests.count)
    }

    @Test("each limit rejects with its code before any subgraph is called")
    func limits() async throws {
        let deep = "{ topProducts { reviews { author { reviews { body } } } } }"
        let (tooDeep, deepCalls) = try await code(deep, OperationLimits(maxDepth: 4))
        #expect(tooDeep.kind == .requestError)
        #expect(tooDeep.result.errors.first?.extensions["code"] == .string(GatewayErrorCode.queryTooDeep))
        #expect(deepCalls == 0)
        #expect(try await code(deep, OperationLimits(maxDepth: 5)).0.result.errors.first?.extensions["code"] != .string(GatewayErrorCode.queryTooDeep))

        let aliased = #"{ a: product(upc: "1") { n1: name n2: name } b: product(upc: "2") { name } }"#
        let (aliases, _) = try await code(aliased, OperationLimits(maxAliases: 3))
        #expect(aliases.result.errors.first?.extensions["code"] == .string(GatewayErrorCode.tooManyAliases))

        let (roots, _) = try await code(aliased, OperationLimits(maxRootFields: 1))
        #expect(roots.result.errors.first?.extensions["code"] == .string(GatewayErrorCode.tooManyRootFields))

        // 1 + 100 × (1 + 1 × reviews(1 + 10 × body 1)) = 1 + 100 × 12 = 1201
        let costly = "query($n: Int) { topProducts(first: $n) { name reviews { body } } }"
        let (tooCostly, _) = try await code(costly, OperationLimits(maxCost: 1000), variables: ["n": 100])
        #expect(tooCostly.result.errors.first?.extensions["code"] == .string(GatewayErrorCode.queryTooCostly))
        #expect(tooCostly.result.errors.first?.message.contains("1201") == true)
        let (cheap, _) = try await code(costly, OperationLimits(maxCost: 1000), variables: ["n": 5])
        #expect(cheap.result.errors.first?.extensions["code"] != .string(GatewayErrorCode.queryTooCostly))
    }

    @Test("a gateway with scaled limits takes n copies of what passed, and shares the plan cache")
    func scaledLimits() async throws {
        let limits = OperationLimits(maxAliases: 1, maxFields: 3, maxRootFields: 1, maxCost: 10)
        let scaled = limits.scaled(by: 3)
        #expect(scaled.maxAliases == 6 && scaled.maxFields == 9 && scaled.maxRootFields == 3 && scaled.maxCost == 30)
        #expect(scaled.maxDepth == limits.maxDepth && scaled.textBounds.maximumNesting == limits.textBounds.maximumNesting)
        #expect(scaled.textBounds.maximumTokens == 3 * limits.textBounds.maximumTokens)
        let saturated = OperationLimits(maxAliases: .max, maxFields: .max / 2, maxRootFields: nil).scaled(by: 4)
        #expect(saturated.maxAliases == .max && saturated.maxFields == .max && saturated.maxRootFields == nil)

        let one = #"{ a: product(upc: "1") { name } }"#
        let three = #"{ a: product(upc: "1") { name } b: product(upc: "2") { name } c: product(upc: "3") { name } }"#
        let transport = RecordingTransport(["products": Self.products])
        let strict = try gateway(GatewayConfiguration(limits: limits), transport: transport)
        let wide = strict.withLimits(scaled)
        let info = GraphQLRequestInfo(principal: nil)
        #expect(await strict.execute(GraphQLRequest(query: one), info: info).kind == .executed)
        #expect(await strict.execute(GraphQLRequest(query: three), info: info).kind == .requestError)
        #expect(await wide.execute(GraphQLRequest(query: three), info: info).kind == .executed)
        #expect(wide.planner === strict.planner)
    }

    @Test("a subgraph slower than its timeout gives SUBGRAPH_TIMEOUT, others still answer")
    func subgraphTimeout() async throws {
        let transport = RecordingTransport([
            "products": Self.products,
            "accounts": { _ in
                // Far beyond the timeout, so the bound below separates "timed out" from
                // "waited" even on a loaded machine (the test suites run in parallel).
                try await Task.sleep(for: .seconds(120))
                return SubgraphResponse(data: ["me": ["name": "late"]])
            },
        ])
        let configuration = GatewayConfiguration(subgraphTimeouts: ["accounts": .milliseconds(100)])
        let start = ContinuousClock.now
        let outcome = try await gateway(configuration, transport: transport)
            .execute(GraphQLRequest(query: "{ topProducts { name } me { name } }"), info: GraphQLRequestInfo(principal: nil))
        #expect(ContinuousClock.now - start < .seconds(30))
        #expect(outcome.result.data == ["topProducts": [["name": "A"]], "me": nil])
        #expect(outcome.result.errors.first?.extensions["code"] == .string(GatewayErrorCode.subgraphTimeout))
    }

    @Test("identical queries in flight share one subgraph request")
    func deduplication() async throws {
        // The subgraph answers only when released, so both client requests are surely in flight
        // together, however slowly a loaded machine schedules them.
        let released = Atomic(false)
        let transport = RecordingTransport([
            "products": { request in
                while !released.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
                return try await Self.products(request)
            },
        ])
        let gateway = try gateway(transport: transport)
        let request = GraphQLSupport.GraphQLRequest(query: "{ topProducts { name } }")
        async let first = gateway.execute(request, info: GraphQLRequestInfo(principal: nil))
        async let second = gateway.execute(request, info: GraphQLRequestInfo(principal: nil))
        // Wait (bounded) until the second request has joined the first's fetch, or has made its own.
        let deadline = ContinuousClock.now + .seconds(30)
        while await gateway.deduplicatedFetchCount == 0, transport.requests.count < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        released.store(true, ordering: .releasing)
        let outcomes = await [first, second]
        #expect(outcomes.allSatisfy { $0.result.data == ["topProducts": [["name": "A"]]] })
        #expect(transport.requests.count == 1)
        #expect(await gateway.deduplicatedFetchCount == 1)

        // Different forwarded credentials are different requests.
        var alice = HTTPFields()
        alice[.authorization] = "Bearer alice"
        async let third = gateway.execute(request, info: GraphQLRequestInfo(principal: nil, headers: alice))
        async let fourth = gateway.execute(request, info: GraphQLRequestInfo(principal: nil))
        _ = await [third, fourth]
        #expect(transport.requests.count == 3)
    }

    @Test("mutations are never deduplicated")
    func mutationsNotShared() async throws {
        // Each subgraph call is held until both have arrived, so the first mutation is surely
        // still in flight when the second reaches the gateway: a gateway that shared in-flight
        // mutations would let only one through, and the held call would give up waiting.
        let arrivals = Atomic(0)
        let transport = RecordingTransport([
            "products": { _ in
                arrivals.add(1, ordering: .sequentiallyConsistent)
                let deadline = ContinuousClock.now + .seconds(10)
                while arrivals.load(ordering: .sequentiallyConsistent) < 2, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
                return SubgraphResponse(data: ["createProduct": ["name": "x"]])
            },
        ])
        let gateway = try gateway(transport: transport)
        let request = GraphQLSupport.GraphQLRequest(query: #"mutation { createProduct(name: "x") { name } }"#)
        async let first = gateway.execute(request, info: GraphQLRequestInfo(principal: nil))
        async let second = gateway.execute(request, info: GraphQLRequestInfo(principal: nil))
        let outcomes = await [first, second]
        #expect(outcomes.allSatisfy { $0.result.data == ["createProduct": ["name": "x"]] })
        #expect(arrivals.load(ordering: .sequentiallyConsistent) == 2, "the second mutation never reached the subgraph while the first was in flight")
        #expect(transport.requests.count == 2)
        #expect(await gateway.deduplicatedFetchCount == 0)
    }

    @Test("Authorization and trace context are forwarded; other headers are not")
    func headerForwarding() async throws {
        let transport = RecordingTransport(["products": Self.products])
        var headers = HTTPFields()
        headers[.authorization] = "Bearer token"
        headers[HTTPField.Name("traceparent")!] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        headers[.cookie] = "session=secret"
        _ = try await gateway(transport: transport).execute(GraphQLRequest(query: "{ topProducts { name } }"), info: GraphQLRequestInfo(principal: nil, headers: headers))
        let forwarded = try #require(transport.requests.first?.headers)
        #expect(forwarded[.authorization] == "Bearer token")
        #expect(forwarded[HTTPField.Name("traceparent")!] == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        #expect(forwarded[.cookie] == nil)
    }

    @Test("introspection is answered by the gateway from the API schema")
    func introspection() async throws {
        let transport = RecordingTransport([:])
        let outcome = try await gateway(transport: transport).execute(
            GraphQLRequest(query: #"{ __typename __schema { queryType { name } } product: __type(name: "Product") { fields { name } } }"#),
            info: GraphQLRequestInfo(principal: nil)
        )
        #expect(outcome.result.errors.isEmpty, "\(outcome.result.errors)")
        #expect(transport.requests.isEmpty)
        #expect(outcome.result.data?["__typename"] == "Query")
        #expect(outcome.result.data?["__schema"]["queryType"]["name"] == "Query")
        let fields = outcome.result.data?["product"]["fields"].array?.compactMap { $0["name"].string } ?? []
        #expect(fields.contains("shippingEstimate") && fields.contains("reviews"))
        #expect(!fields.contains("internalCode"))

        let disabled = try await gateway(GatewayConfiguration(allowsIntrospection: false), transport: transport)
            .execute(GraphQLRequest(query: "{ __schema { queryType { name } } }"), info: GraphQLRequestInfo(principal: nil))
        #expect(disabled.result.errors.first?.extensions["code"] == .string(GatewayErrorCode.introspectionDisabled))
    }

    @Test("the explorer's full introspection query, with fragments, is answered")
    func fullIntrospectionQuery() async throws {
        let query = """
            query IntrospectionQuery {
              __schema {
                queryType { name } mutationType { name } subscriptionType { name }
                types { ...FullType }
                directives { name description locations args { ...InputValue } }
              }
            }
            fragment FullType on __Type {
              kind name description
              fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
              inputFields { ...InputValue }
              interfaces { ...TypeRef }
              enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
              possibleTypes { ...TypeRef }
            }
            fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
            fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
            """
        let transport = RecordingTransport([:])
        let outcome = try await gateway(transport: transport).execute(GraphQLRequest(query: query, operationName: "IntrospectionQuery"), info: GraphQLRequestInfo(principal: nil))
        #expect(outcome.result.errors.isEmpty, "\(outcome.result.errors)")
        let types = outcome.result.data?["__schema"]["types"].array?.compactMap { $0["name"].string } ?? []
        #expect(types.contains("Product") && types.contains("Review") && types.contains("User"))
        #expect(!types.contains("_Entity") && !types.contains("_Service"))
        #expect(outcome.result.data?["__schema"]["mutationType"]["name"] == "Mutation")
        #expect(transport.requests.isEmpty)
    }

    @Test("invalid operations and variables are rejected before any fetch")
    func requestErrors() async throws {
        let transport = RecordingTransport(["products": Self.products])
        let gateway = try gateway(transport: transport)
        let unknownField = await gateway.execute(GraphQLRequest(query: "{ topProducts { colour } }"), info: GraphQLRequestInfo(principal: nil))
        #expect(unknownField.kind == .requestError)
        #expect(unknownField.result.errors.first?.extensions["code"] == "GRAPHQL_VALIDATION_FAILED")
        let hidden = await gateway.execute(GraphQLRequest(query: "{ topProducts { internalCode } }"), info: GraphQLRequestInfo(principal: nil))
        #expect(hidden.result.errors.first?.extensions["code"] == "GRAPHQL_VALIDATION_FAILED")
        let syntax = await gateway.execute(GraphQLRequest(query: "{ topProducts { "), info: GraphQLRequestInfo(principal: nil))
        #expect(syntax.result.errors.first?.extensions["code"] == "GRAPHQL_PARSE_FAILED")
        let missing = await gateway.execute(GraphQLRequest(query: "query($upc: String!) { product(upc: $upc) { name } }"), info: GraphQLRequestInfo(principal: nil))
        #expect(missing.result.errors.first?.extensions["code"] == .string(GatewayErrorCode.badUserInput))
        let wrongType = await gateway.execute(GraphQLRequest(query: "query($upc: String!) { product(upc: $upc) { name } }", variables: ["upc": 5]), info: GraphQLRequestInfo(principal: nil))
        #expect(wrongType.result.errors.first?.extensions["code"] == .string(GatewayErrorCode.badUserInput))
        let mutationOverGET = await gateway.execute(GraphQLRequest(query: #"mutation { createProduct(name: "x") { name } }"#), info: GraphQLRequestInfo(principal: nil, isReadOnly: true))
        #expect(mutationOverGET.kind == .methodNotAllowed)
        #expect(transport.requests.isEmpty)
    }

    @Test("an unreachable HTTP subgraph is SUBGRAPH_UNAVAILABLE, at once with the router's client")
    func httpUnavailable() async throws {
        // Port 9 (discard) on loopback: nothing listens there in the test environment.
        let client = HTTPSubgraphTransport.makeHTTPClient()
        let transport = HTTPSubgraphTransport(client: client, urls: ["products": "http://127.0.0.1:9/graphql"])
        let start = ContinuousClock.now
        // A 120 s deadline: failing within 30 s can only come from the refused connection, not
        // from the timeout, however loaded the machine is.
        let outcome = try await gateway(GatewayConfiguration(subgraphTimeout: .seconds(120)), transport: transport)
            .execute(GraphQLRequest(query: "{ topProducts { name } }"), info: GraphQLRequestInfo(principal: nil))
        #expect(ContinuousClock.now - start < .seconds(30))
        #expect(outcome.result.data == .null)
        #expect(outcome.result.errors.first?.extensions["code"] == .string(GatewayErrorCode.subgraphUnavailable))
        try await client.shutdown()
    }

    @Test("subgraph HTTP responses decode leniently")
    func decodesResponses() throws {
        let json = #"{"data": {"a": 1}, "errors": [{"message": "boom", "locations": [{"line": 1, "column": 2}], "extensions": {"code": "X"}}]}"#
        let response = try SubgraphResponse(json: Data(json.utf8))
        #expect(response.data == ["a": 1])
        #expect(response.errors.first?.message == "boom")
        #expect(response.errors.first?.extensions["code"] == "X")
        #expect(throws: (any Error).self) { try SubgraphResponse(json: Data("<html>".utf8)) }
    }

    @Test("start-up composition reads _service.sdl from running subgraphs")
    func composesFromRunningSubgraphs() async throws {
        let sdls = try await SubgraphSDLFetcher.fetchAll([("catalog", nil), ("inventory", nil)], through: LiteSubgraphs.transport())
        #expect(sdls.map(\.name) == ["catalog", "inventory"])
        let supergraph = try Supergraph.compose(sdls)
        #expect(supergraph.field("stock", on: "Product")?.resolvingSubgraphs == ["inventory"])
    }
}
