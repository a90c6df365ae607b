import HTTPTypes

/// The shared secret that the gateway presents to subgraph endpoints, which are internal:
/// without it they refuse every request. They have no operation limits of their own, answer
/// introspection and report internal cache tags — all meant for the gateway, not for clients.
///
/// The credential also makes the client identity that the gateway determined believable: a
/// subgraph takes `Emporium-Client` only from a request that carries the credential, so per-client
/// limits (search) hold per client and not per gateway address.
public struct InternalCredential: Sendable {
    public static let tokenHeader = HTTPField.Name("Emporium-Internal-Token")!
    public static let clientHeader = HTTPField.Name("Emporium-Client")!
    /// The request's id, on every GraphQL response and on the gateway's subgraph requests.
    public static let requestIDHeader = HTTPField.Name("Emporium-Request-Id")!
    /// Shorter secrets could be guessed; the development default is 64 hex digits.
    public static let minimumTokenBytes = 32

    private let token: String

    public init?(token: String) {
        guard token.utf8.count >= Self.minimumTokenBytes else { return nil }
        self.token = token
    }

    /// Whether `headers` carry the token. Compared in time that depends only on the lengths, so
    /// the answer time tells an attacker nothing about how much of a guess was right.
    public func authorizes(_ headers: HTTPFields) -> Bool {
        guard let presented = headers[Self.tokenHeader] else { return false }
        var difference = UInt8(presented.utf8.count == token.utf8.count ? 0 : 1)
        var presentedBytes = presented.utf8.makeIterator()
        for byte in token.utf8 {
            difference |= byte ^ (presentedBytes.next() ?? 0)
        }
        return difference == 0
    }

    /// The headers the gateway adds to a subgraph request: the token, the client's identity and
    /// the request's id.
    public func headers(clientKey: String?, requestID: String? = nil) -> [(HTTPField.Name, String)] {
        var fields = [(Self.tokenHeader, token)]
        if let clientKey, Self.isWellFormedHeaderValue(clientKey) { fields.append((Self.clientHeader, clientKey)) }
        if let requestID, Self.isWellFormedHeaderValue(requestID) { fields.append((Self.requestIDHeader, requestID)) }
        return fields
    }

    /// What the gateway forwarded in `name` (`clientHeader`, `requestIDHeader`), when it is well
    /// formed. Only for a request this credential authorizes: from anyone else it is a claim.
    public static func forwarded(_ name: HTTPField.Name, in headers: HTTPFields) -> String? {
        guard let value = headers[name], isWellFormedHeaderValue(value) else { return nil }
        return value
    }

    /// At most 200 visible ASCII characters: safe in a log line and a metric, and small.
    static func isWellFormedHeaderValue(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.count <= 200 && value.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
