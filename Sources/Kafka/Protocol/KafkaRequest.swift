import NIOCore

/// Kafka API keys used by this client.
enum APIKey: Int16, Sendable, CaseIterable {
    case produce = 0
    case fetch = 1
    case listOffsets = 2
    case metadata = 3
    case offsetCommit = 8
    case offsetFetch = 9
    case findCoordinator = 10
    case joinGroup = 11
    case heartbeat = 12
    case leaveGroup = 13
    case syncGroup = 14
    case saslHandshake = 17
    case apiVersions = 18
    case createTopics = 19
    case saslAuthenticate = 36

    /// The version this client speaks (the highest non-flexible one that Kafka 4.x and Tansu accept).
    var version: Int16 {
        switch self {
        case .produce: 8
        case .fetch: 11
        case .listOffsets: 5
        case .metadata: 8
        case .offsetCommit: 7
        case .offsetFetch: 5
        case .findCoordinator: 2
        case .joinGroup: 5
        case .heartbeat: 3
        case .leaveGroup: 3
        case .syncGroup: 3
        case .saslHandshake: 1
        case .apiVersions: 2
        case .createTopics: 4
        case .saslAuthenticate: 1
        }
    }
}

/// A request body and how to decode its response body. Pure: no I/O.
protocol KafkaRequest: Sendable {
    associatedtype Response: Sendable
    static var apiKey: APIKey { get }
    func encode(into buffer: inout ByteBuffer)
    static func decodeResponse(from buffer: inout ByteBuffer) throws(KafkaError) -> Response
}

enum KafkaFraming {
    /// A complete frame: size, request header v1, body.
    static func encodeRequest<R: KafkaRequest>(_ request: R, correlationID: Int32, clientID: String?, into buffer: inout ByteBuffer) {
        let sizeIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(R.apiKey.rawValue)
        buffer.writeInteger(R.apiKey.version)
        buffer.writeInteger(correlationID)
        buffer.writeKafkaNullableString(clientID)
        request.encode(into: &buffer)
        buffer.setInteger(Int32(buffer.writerIndex - sizeIndex - 4), at: sizeIndex)
    }
}
