import Gateway
import GraphQL
import OrderedCollections
import Synchronization

/// A transport whose subgraphs are closures, recording every request it is sent.
final class RecordingTransport: SubgraphTransport {
    typealias Handler = @Sendable (SubgraphRequest) async throws -> SubgraphResponse

    private let handlers: [String: Handler]
    private let recorded = Mutex<[SubgraphRequest]>([])

    init(_ handlers: [String: Handler]) {
        self.handlers = handlers
    }

    var requests: [SubgraphRequest] { recorded.withLock { $0 } }

    func requests(to subgraph: String) -> [SubgraphRequest] {
        requests.filter { $0.subgraph == subgraph }
    }

    func send(_ request: SubgraphRequest) async throws -> SubgraphResponse {
        recorded.withLock { $0.append(request) }
        guard let handler = handlers[request.subgraph] else {
            throw SubgraphTransportError(.unknownSubgraph, subgraph: request.subgraph, message: "no fake")
        }
        return try await handler(request)
    }
}

/// Counts requests passing through to another transport.
final class CountingTransport: SubgraphTransport {
    private let inner: any SubgraphTransport
    private let recorded = Mutex<[SubgraphRequest]>([])

    init(_ inner: any SubgraphTransport) {
        self.inner = inner
    }

    var requests: [SubgraphRequest] { recorded.withLock { $0 } }

    func send(_ request: SubgraphRequest) async throws -> SubgraphResponse {
        recorded.withLock { $0.append(request) }
        return try await inner.send(request)
    }
}

extension SubgraphRequest {
    /// The representations of an `_entities` request.
    var representations: [Map] { variables["representations"]?.array ?? [] }
}

extension Map {
    subscript(_ key: String) -> Map {
        dictionary?[key] ?? .undefined
    }

    subscript(_ index: Int) -> Map {
        guard let items = array, items.indices.contains(index) else { return .undefined }
        return items[index]
    }
}
