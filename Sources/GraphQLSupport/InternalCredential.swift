import EmporiumCore
import HTTPTypes
import Identity

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
    /// The caller whom the sender verified: `roles;user` (see `assertion(of:)`). A realtime node
    /// verifies a connection's token once and keeps only its principal, so its resolutions
    /// reach the subgraphs with this instead of a token.
    public static let principalHeader = HTTPField.Name("Emporium-Principal")!
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

    /// The headers the gateway adds to a subgraph request: the token, the client's identity, the
    /// request's id and the caller it verified.
    public func headers(clientKey: String?, requestID: String? = nil, principal: Principal? = nil) -> [(HTTPField.Name, String)] {
        var fields = [(Self.tokenHeader, token)]
        if let clientKey, Self.isWellFormedHeaderValue(clientKey) { fields.append((Self.clientHeader, clientKey)) }
        if let requestID, Self.isWellFormedHeaderValue(requestID) { fields.append((Self.requestIDHeader, requestID)) }
        if let principal, let assertion = Self.assertion(of: principal) { fields.append((Self.principalHeader, assertion)) }
        return fields
    }

    /// The caller a request with this credential asserts, when it has no `Authorization` of its
    /// own; a token, when present, is verified instead. nil when absent or malformed (the
    /// request is then anonymous and an owner-only field answers UNAUTHENTICATED).
    public static func assertedPrincipal(in headers: HTTPFields) -> Principal? {
        guard headers[.authorization] == nil, let value = headers[principalHeader] else { return nil }
        return principal(fromAssertion: value)
    }

    /// `buyer,seller;<user id>`: the roles by name, then the user id with every byte outside
    /// `A-Z a-z 0-9 - . _ ~` written as `%XX`, so any subject fits a header. nil for a subject
    /// too long to assert (`maximumAssertionBytes`).
    public static func assertion(of principal: Principal) -> String? {
        var value = principal.roles.map(\.rawValue).sorted().joined(separator: ",")
        value.append(";")
        for byte in principal.userID.rawValue.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                value.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                value.append("%")
                value.unicodeScalars.append(Unicode.Scalar(Hex.digits[Int(byte >> 4)]))
                value.unicodeScalars.append(Unicode.Scalar(Hex.digits[Int(byte & 0x0F)]))
            }
        }
        return value.utf8.count <= maximumAssertionBytes ? value : nil
    }

    static func principal(fromAssertion value: String) -> Principal? {
        guard value.utf8.count <= maximumAssertionBytes, let separator = value.firstIndex(of: ";") else { return nil }
        var roles = Set<Role>()
        for name in value[..<separator].split(separator: ",") {
            guard let role = Role(rawValue: String(name)) else { return nil }
            roles.insert(role)
        }
        var bytes: [UInt8] = []
        var encoded = value.utf8[value.utf8.index(after: separator)...].makeIterator()
        while let byte = encoded.next() {
            guard byte == UInt8(ascii: "%") else {
                guard (0x21...0x7E).contains(byte) else { return nil }
                bytes.append(byte)
                continue
            }
            guard let high = encoded.next().flatMap(Hex.value(of:)), let low = encoded.next().flatMap(Hex.value(of:)) else { return nil }
            bytes.append(high << 4 | low)
        }
        guard !bytes.isEmpty, let user = String(validating: bytes, as: UTF8.self) else { return nil }
        return Principal(userID: UserID(user), roles: roles)
    }

    /// Three bytes per byte of a 256-byte subject, and the roles.
    static let maximumAssertionBytes = 800

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
