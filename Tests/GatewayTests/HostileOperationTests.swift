import GraphQL
import GraphQLSupport
import Testing
@testable import Gateway

/// Operations an attacker sends to end the process or starve it: each is refused with a code,
/// cheaply, before any subgraph is called.
@Suite("Hostile operations")
struct HostileOperationTests {
    private func run(_ query: String, limits: OperationLimits = OperationLimits(), variables: [String: Map] = [:]) async throws -> (GraphQLOutcome, Int) {
        let transport = RecordingTransport(["products": { _ in SubgraphResponse(data: ["topProducts": []]) }])
        let gateway = FederationGateway(
            supergraph: try StorefrontSubgraphs.supergraph(), transport: transport, configuration: GatewayConfiguration(limits: limits))
        let outcome = await gateway.execute(GraphQLRequest(query: query, variables: variables), info: GraphQLRequestInfo(principal: nil))
        return (outcome, transport.requests.count)
    }

    private func code(_ outcome: GraphQLOutcome) -> Map? {
        outcome.result.errors.first?.extensions["code"]
    }

    @Test("a list size at the top of Int's range is refused as BAD_USER_INPUT, not multiplied")
    func int64ListSize() async throws {
        let (outcome, calls) = try await run("{ topProducts(first: 9223372036854775807) { name reviews { body } } }")
        #expect(outcome.kind == .requestError)
        #expect(code(outcome) == .string("BAD_USER_INPUT"))
        #expect(calls == 0)
        // Just past Int32 too: GraphQL's Int is 32-bit.
        #expect(code(try await run("{ topProducts(first: 2147483648) { name } }").0) == .string("BAD_USER_INPUT"))
        #expect(code(try await run("{ topProducts(first: -2147483649) { name } }").0) == .string("BAD_USER_INPUT"))
    }

    @Test("Int32 sizes nested in lists saturate the cost: too costly, never wrapped below the limit")
    func saturatingCost() async throws {
        let query = "query($n: Int) { topProducts(first: $n) { reviews { author { reviews { body product { upc } } } } } }"
        let (outcome, calls) = try await run(query, limits: OperationLimits(defaultListSize: Int(Int32.max)), variables: ["n": .number(Number(Int(Int32.max)))])
        #expect(code(outcome) == .string(GatewayErrorCode.queryTooCostly))
        #expect(calls == 0)
        let measured = try StorefrontSubgraphs.supergraph()
        let plan = try QueryPlanner(supergraph: measured).plan(query: query)
        let cost = OperationMeasurement(plan.operation, variables: ["n": .number(Number(Int(Int32.max)))], defaultListSize: Int(Int32.max)).cost
        #expect(cost == .max)
    }

    @Test("a fragment bomb (each fragment spreads the next twice, 30 deep) is refused unexpanded")
    func fragmentBomb() async throws {
        var fragments = (0..<30).map { "fragment F\($0) on Product { ...F\($0 + 1) ...F\($0 + 1) }" }
        fragments.append("fragment F30 on Product { name }")
        let query = "{ topProducts { ...F0 } } " + fragments.joined(separator: " ")
        let clock = ContinuousClock()
        let start = clock.now
        let (outcome, calls) = try await run(query)
        #expect(code(outcome) == .string(GatewayErrorCode.queryTooComplex))
        #expect(calls == 0)
        // Expanding 2^30 fields takes minutes; measuring without expanding takes microseconds.
        #expect(clock.now - start < .seconds(2))
    }

    @Test("a fragment cycle is reported by validation, not followed forever")
    func fragmentCycle() async throws {
        let (outcome, _) = try await run("{ topProducts { ...A } } fragment A on Product { name ...B } fragment B on Product { ...A }")
        #expect(code(outcome) == .string(GraphQLErrorMapping.validationFailed))
    }

    @Test("introspection counts toward depth; the standard introspection depth passes")
    func introspectionDepth() async throws {
        func ofType(_ levels: Int) -> String {
            "{ __schema { types { fields { type { " + String(repeating: "ofType { ", count: levels) + "name" + String(repeating: " }", count: levels) + " } } } } }"
        }
        #expect(code(try await run(ofType(40)).0) == .string(GatewayErrorCode.queryTooDeep))
        // The reported 60 levels pass the parser's bracket bound: refused before parsing.
        let sixty = try await run(ofType(60)).0
        #expect(sixty.kind == .requestError)
        #expect(code(sixty) == .string(QueryTextBounds.code))
        // graphql-js's TypeRef: nine levels of ofType under __schema/types/fields/type.
        let standard = "{ __schema { types { fields { type { " + String(repeating: "ofType { ", count: 9) + "name" + String(repeating: " }", count: 9) + " } } } } }"
        let (answer, _) = try await run(standard)
        #expect(answer.kind == .executed)
        #expect(answer.result.errors.isEmpty)
    }

    @Test("a megabyte of `{a{a{…` is refused before the recursive parser sees it")
    func nestedBraces() async throws {
        let (outcome, _) = try await run(String(repeating: "{a", count: 500_000))
        #expect(outcome.kind == .requestError)
        #expect(code(outcome) == .string(QueryTextBounds.code))
    }

    @Test("an Int variable of 1e300 is refused, not converted")
    func hugeFloatVariable() async throws {
        let (outcome, calls) = try await run("query($n: Int) { topProducts(first: $n) { name } }", variables: ["n": .number(Number(1e300))])
        #expect(code(outcome) == .string("BAD_USER_INPUT"))
        #expect(calls == 0)
    }
}

@Suite("Request context")
struct RequestContextTests {
    @Test("every subgraph fetch carries the client request's id and identity")
    func requestIDReachesSubgraphs() async throws {
        let transport = RecordingTransport(["products": { _ in SubgraphResponse(data: ["topProducts": []]) }])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let info = GraphQLRequestInfo(principal: nil, clientKey: "ip:198.51.100.9", requestID: "request-42")
        _ = await gateway.execute(GraphQLRequest(query: "{ topProducts { name } }"), info: info)
        let sent = try #require(transport.requests.first)
        #expect(sent.context?.requestID == "request-42")
        #expect(sent.context?.clientKey == "ip:198.51.100.9")
    }
}
