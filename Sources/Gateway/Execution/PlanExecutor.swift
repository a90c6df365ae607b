import GraphQL
import GraphQLSupport
import HTTPTypes
import Identity
import Logging
import Metrics
import OrderedCollections

/// Runs one plan for one request: fetches in the plan's order, results merged into a
/// `ResponseStore`. Never throws: a failed fetch becomes an error in the response and the
/// fields it would have filled stay null (partial data).
struct PlanExecutor: Sendable {
    let supergraph: Supergraph
    let transport: any SubgraphTransport
    let configuration: GatewayConfiguration
    let inFlight: InFlightRequests
    let logger: Logger
    let variables: [String: Map]
    /// The client request's context, passed to every subgraph fetch unchanged.
    let context: GraphQLRequestInfo
    let store: ResponseStore

    func run(_ node: PlanNode) async {
        switch node {
        case .sequence(let nodes):
            for node in nodes { await run(node) }
        case .parallel(let nodes):
            await withTaskGroup(of: Void.self) { group in
                for node in nodes { group.addTask { await run(node) } }
            }
        case .fetch(let fetch):
            guard fetch.conditions.pass(variables) else { return }
            await runRootFetch(fetch)
        case .flatten(let path, let fetch):
            guard fetch.conditions.pass(variables) else { return }
            await runEntityFetch(fetch, at: path)
        }
    }

    private func runRootFetch(_ fetch: FetchNode) async {
        let explained = Self.explained(by: fetch)
        guard let response = await send(fetch, variables: usedVariables(fetch), explaining: explained) else { return }
        absorb(response, of: fetch, explaining: explained)
    }

    /// Runs the plan's one verbatim fetch (`VerbatimFetch`) and returns the subgraph's answer
    /// when it can be the client's response as it is: an in-process answer without errors.
    /// Otherwise the answer is merged into the store like any root fetch's (nil), and the caller
    /// shapes it — the fetch is never sent twice.
    func runVerbatim(_ fetch: FetchNode) async -> GraphQLOutcome? {
        let explained = Self.explained(by: fetch)
        guard let response = await send(fetch, variables: usedVariables(fetch), explaining: explained) else { return nil }
        if let answer = response.answer, answer.kind == .executed, answer.errors.isEmpty { return answer }
        absorb(response, of: fetch, explaining: explained)
        return nil
    }

    private static func explained(by fetch: FetchNode) -> [[IndexPathValue]] {
        fetch.selections.items.compactMap { item -> [IndexPathValue]? in
            if case .field(let field) = item { return [.key(field.responseKey)] }
            return nil
        }
    }

    private func absorb(_ response: SubgraphResponse, of fetch: FetchNode, explaining explained: [[IndexPathValue]]) {
        let data = response.data
        if let data { store.mergeRoot(data) }
        let errors = response.errors.map { annotate($0, subgraph: fetch.subgraph, path: $0.path.elements) }
        store.append(errors, explaining: data == nil ? explained : [])
    }

    private func runEntityFetch(_ fetch: FetchNode, at path: [String]) async {
        let entries = store.representations(at: path, requires: fetch.requires, typenames: fetch.representationTypenames)
        guard !entries.isEmpty else { return }
        var variables = usedVariables(fetch)
        variables["representations"] = .array(entries.map(\.representation))
        let paths = entries.map(\.path)
        guard let response = await send(fetch, variables: variables, explaining: paths) else { return }
        let entities = response.data?.dictionary?["_entities"]?.array
        if let entities { store.mergeEntities(entities, at: paths) }
        let errors = response.errors.map { error -> GraphQLError in
            // `_entities.3.stock` in the subgraph is `products.nodes.3.stock` for the client.
            let elements = error.path.elements
            if elements.count >= 2, elements[0] == .key("_entities"), case .index(let index) = elements[1], paths.indices.contains(index) {
                return annotate(error, subgraph: fetch.subgraph, path: paths[index] + elements.dropFirst(2))
            }
            return annotate(error, subgraph: fetch.subgraph, path: [])
        }
        store.append(errors, explaining: entities == nil ? paths : [])
    }

    private func usedVariables(_ fetch: FetchNode) -> [String: Map] {
        var result: [String: Map] = [:]
        // An absent variable stays absent: the subgraph then applies the argument's default,
        // which an explicit null would override.
        for name in fetch.variableUsages { if let value = variables[name] { result[name] = value } }
        return result
    }

    /// Sends one fetch, sharing it with identical in-flight queries. nil when the subgraph gave
    /// no answer; the error is then already recorded.
    private func send(_ fetch: FetchNode, variables: [String: Map], explaining paths: [[IndexPathValue]]) async -> SubgraphResponse? {
        let timeout = configuration.timeout(for: fetch.subgraph)
        let deduplicates = configuration.deduplicatesQueries && fetch.operationKind == .query
        var prepared = SubgraphRequest(
            subgraph: fetch.subgraph, url: supergraph.subgraph(named: fetch.subgraph)?.url, query: fetch.operation,
            operationName: fetch.operationName, variables: variables, headers: configuration.headerForwarding.forwarded(from: context.headers),
            context: context, timeout: timeout
        )
        // Encoded once: the body is part of the deduplication key, and the HTTP transport sends it.
        if deduplicates { prepared.encodedBody = prepared.encodeBody() }
        let request = prepared
        let transport = self.transport
        let start = ContinuousClock.now
        defer {
            Timer(label: "gateway_subgraph_fetch_duration_seconds", dimensions: [("subgraph", fetch.subgraph)])
                .recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        }
        do {
            let call: @Sendable () async throws -> SubgraphResponse
            if transport.enforcesTimeout {
                call = { try await transport.send(request) }
            } else {
                call = { try await withTimeout(timeout) { try await transport.send(request) } }
            }
            let response = if deduplicates {
                try await inFlight.run(key: InFlightRequests.key(for: request), call)
            } else {
                try await call()
            }
            // Every request that shares a fetch gets its tags, not only the one that sent it.
            context.responseTags.add(contentsOf: response.cacheTags)
            return response
        } catch {
            let (code, message) = Self.describe(error, subgraph: fetch.subgraph, timeout: timeout)
            logger.warning("subgraph fetch failed", metadata: ["subgraph.name": "\(fetch.subgraph)", "error": "\(error)"])
            Counter(label: "gateway_subgraph_fetch_failures_total", dimensions: [("subgraph", fetch.subgraph), ("code", code)]).increment()
            store.append([GraphQLError(message: message, extensions: ["code": .string(code), "serviceName": .string(fetch.subgraph)])], explaining: paths)
            return nil
        }
    }

    static func describe(_ error: any Error, subgraph: String, timeout: Duration) -> (code: String, message: String) {
        switch error {
        case is SubgraphTimedOut:
            return (GatewayErrorCode.subgraphTimeout, "subgraph '\(subgraph)' did not answer within \(timeout)")
        case let failure as SubgraphTransportError:
            switch failure.kind {
            case .timeout: return (GatewayErrorCode.subgraphTimeout, "subgraph '\(subgraph)' did not answer within \(timeout)")
            case .invalidResponse: return (GatewayErrorCode.subgraphInvalidResponse, "subgraph '\(subgraph)' sent an invalid response")
            case .unavailable, .unknownSubgraph: return (GatewayErrorCode.subgraphUnavailable, "subgraph '\(subgraph)' is unavailable")
            }
        default:
            return (GatewayErrorCode.subgraphUnavailable, "subgraph '\(subgraph)' is unavailable")
        }
    }

    private func annotate(_ error: GraphQLError, subgraph: String, path: [IndexPathValue]) -> GraphQLError {
        var extensions = error.extensions
        extensions["serviceName"] = .string(subgraph)
        // Every error the gateway returns has a code, as every subgraph endpoint's does.
        if extensions["code"] == nil { extensions["code"] = .string(GatewayErrorCode.downstreamServiceError) }
        return GraphQLError(message: error.message, locations: [], path: IndexPath(path.map { $0 as any IndexPathElement }), extensions: extensions)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
