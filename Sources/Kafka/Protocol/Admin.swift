import NIOCore

struct CreateTopicsRequest: KafkaRequest {
    static let apiKey = APIKey.createTopics
    struct Topic: Sendable, Hashable {
        var name: String
        var numPartitions: Int32
        var replicationFactor: Int16
        var configs: [String: String] = [:]
    }
    var topics: [Topic]
    var timeoutMs: Int32
    var validateOnly: Bool = false

    struct Response: Sendable {
        var throttleTimeMs: Int32
        var topics: [(name: String, errorCode: Int16, errorMessage: String?)]
    }

    func encode(into b: inout ByteBuffer) {
        b.writeKafkaArray(topics) { b, t in
            b.writeKafkaString(t.name)
            b.writeInteger(t.numPartitions)
            b.writeInteger(t.replicationFactor)
            b.writeInteger(Int32(0))  // manual assignments
            b.writeKafkaArray(t.configs.sorted { $0.key < $1.key }) { b, c in
                b.writeKafkaString(c.key)
                b.writeKafkaNullableString(c.value)
            }
        }
        b.writeInteger(timeoutMs)
        b.writeKafkaBool(validateOnly)
    }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        let throttle: Int32 = try b.readKafkaInt()
        let topics = try b.readKafkaArray { (b) throws(KafkaError) in
            (name: try b.readKafkaString(), errorCode: try b.readKafkaInt(Int16.self), errorMessage: try b.readKafkaNullableString())
        }
        return Response(throttleTimeMs: throttle, topics: topics)
    }
}

struct SaslHandshakeRequest: KafkaRequest {
    static let apiKey = APIKey.saslHandshake
    var mechanism: String

    struct Response: Sendable, Hashable {
        var errorCode: Int16
        var mechanisms: [String]
    }

    func encode(into b: inout ByteBuffer) { b.writeKafkaString(mechanism) }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        Response(errorCode: try b.readKafkaInt(), mechanisms: try b.readKafkaArray { (b) throws(KafkaError) in try b.readKafkaString() })
    }
}

struct SaslAuthenticateRequest: KafkaRequest {
    static let apiKey = APIKey.saslAuthenticate
    var authBytes: ByteBuffer

    /// SASL/PLAIN (RFC 4616): `authzid NUL authcid NUL password`, with an empty authzid.
    static func plain(username: String, password: String) -> SaslAuthenticateRequest {
        var b = ByteBuffer()
        b.writeInteger(UInt8(0))
        b.writeString(username)
        b.writeInteger(UInt8(0))
        b.writeString(password)
        return SaslAuthenticateRequest(authBytes: b)
    }

    struct Response: Sendable, Hashable {
        var errorCode: Int16
        var errorMessage: String?
    }

    func encode(into b: inout ByteBuffer) { b.writeKafkaBytes(authBytes) }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        let error: Int16 = try b.readKafkaInt()
        let message = try b.readKafkaNullableString()
        _ = try b.readKafkaBytes()
        if b.readableBytes >= 8 { _ = try b.readKafkaInt(Int64.self) }  // session lifetime (v1)
        return Response(errorCode: error, errorMessage: message)
    }
}
