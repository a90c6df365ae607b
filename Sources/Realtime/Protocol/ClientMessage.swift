import Foundation
import GraphQL
import OrderedCollections
import GraphQLSupport

/// A message from a client, as `graphql-transport-ws` defines them
/// (github.com/enisdenjo/graphql-ws, PROTOCOL.md).
public enum ClientMessage: Sendable, Equatable {
    case connectionInit(payload: Map?)
    case ping(payload: Map?)
    case pong(payload: Map?)
    case subscribe(id: String, payload: SubscribePayload)
    case complete(id: String)

    /// What a `subscribe` carries: one GraphQL request.
    public struct SubscribePayload: Sendable, Equatable {
        public var query: String
        public var operationName: String?
        public var variables: [String: Map]
        public var extensions: Map?

        public init(query: String, operationName: String? = nil, variables: [String: Map] = [:], extensions: Map? = nil) {
            self.query = query
            self.operationName = operationName
            self.variables = variables
            self.extensions = extensions
        }
    }

    /// Longest subscription id accepted: ids are echoed on every message.
    public static let maximumIDLength = 128

    /// Reads one text frame; a message the protocol does not define is a ``ProtocolViolation``
    /// (the connection closes with 4400 and its reason).
    public init(json bytes: some Collection<UInt8>) throws(ProtocolViolation) {
        // JSONMap rather than JSONDecoder: Codable would read every integer variable as a Double.
        guard case .dictionary(let object)? = try? JSONMap.parse(Data(bytes)) else {
            throw ProtocolViolation("Invalid message: not a JSON object")
        }
        guard let type = object["type"]?.string else { throw ProtocolViolation("Invalid message: missing the 'type' property") }
        func payloadObject() throws(ProtocolViolation) -> Map? {
            switch object["payload"] {
            case nil, .null?, .undefined?: return nil
            case .dictionary?: return object["payload"]
            default: throw ProtocolViolation("Invalid message: the '\(type)' payload must be an object or null")
            }
        }
        func id() throws(ProtocolViolation) -> String {
            guard let id = object["id"]?.string, !id.isEmpty else { throw ProtocolViolation("Invalid message: '\(type)' needs a non-empty string 'id'") }
            guard id.utf8.count <= Self.maximumIDLength else {
                throw ProtocolViolation("Invalid message: an id is at most \(Self.maximumIDLength) bytes")
            }
            return id
        }
        switch type {
        case "connection_init": self = .connectionInit(payload: try payloadObject())
        case "ping": self = .ping(payload: try payloadObject())
        case "pong": self = .pong(payload: try payloadObject())
        case "complete": self = .complete(id: try id())
        case "subscribe":
            let id = try id()
            guard case .dictionary(let payload)? = object["payload"] else {
                throw ProtocolViolation("Invalid message: 'subscribe' needs a payload object")
            }
            guard let query = payload["query"]?.string else { throw ProtocolViolation("Invalid message: 'subscribe' needs payload.query, a string") }
            let operationName: String?
            switch payload["operationName"] {
            case nil, .null?, .undefined?: operationName = nil
            case .string(let name)?: operationName = name
            default: throw ProtocolViolation("Invalid message: payload.operationName must be a string or null")
            }
            var variables: [String: Map] = [:]
            switch payload["variables"] {
            case nil, .null?, .undefined?: break
            case .dictionary(let values)?: for (name, value) in values { variables[name] = value }
            default: throw ProtocolViolation("Invalid message: payload.variables must be an object or null")
            }
            self = .subscribe(id: id, payload: SubscribePayload(query: query, operationName: operationName, variables: variables, extensions: payload["extensions"]))
        default:
            throw ProtocolViolation("Invalid message: unknown type '\(type.prefix(40))'")
        }
    }
}

/// A client broke the protocol; `reason` goes into the close frame (at most 123 bytes there).
public struct ProtocolViolation: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
