import NIOCore

struct ApiVersionsRequest: KafkaRequest {
    static let apiKey = APIKey.apiVersions

    struct Response: Sendable, Hashable {
        struct Range: Sendable, Hashable {
            var apiKey: Int16
            var minVersion: Int16
            var maxVersion: Int16
        }
        var errorCode: Int16
        var apiKeys: [Range]
        var throttleTimeMs: Int32
    }

    func encode(into buffer: inout ByteBuffer) {}

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        let errorCode: Int16 = try b.readKafkaInt()
        let keys = try b.readKafkaArray { (b) throws(KafkaError) in
            Response.Range(apiKey: try b.readKafkaInt(), minVersion: try b.readKafkaInt(), maxVersion: try b.readKafkaInt())
        }
        // An UNSUPPORTED_VERSION answer is a v0 body without throttle time.
        let throttle: Int32 = b.readableBytes >= 4 ? try b.readKafkaInt() : 0
        return Response(errorCode: errorCode, apiKeys: keys, throttleTimeMs: throttle)
    }
}

extension ApiVersionsRequest.Response {
    /// Checks that the broker accepts every version this client uses; the error lists all gaps.
    func checkSupported(_ needed: [APIKey] = APIKey.allCases.filter { $0 != .saslHandshake && $0 != .saslAuthenticate }) throws(KafkaError) {
        let byKey = Dictionary(apiKeys.map { ($0.apiKey, $0) }, uniquingKeysWith: { a, _ in a })
        var missing: [String] = []
        for key in needed {
            guard let range = byKey[key.rawValue] else {
                missing.append("\(key) v\(key.version) (not offered)")
                continue
            }
            if key.version < range.minVersion || key.version > range.maxVersion {
                missing.append("\(key) v\(key.version) (broker offers v\(range.minVersion)-v\(range.maxVersion))")
            }
        }
        if !missing.isEmpty {
            throw KafkaError(.unsupportedVersion, detail: "broker does not support: " + missing.joined(separator: ", "))
        }
    }
}
