import HTTPTypes
import Synchronization

/// Headers that resolvers add to the HTTP response (for example `RateLimit-*`), collected during
/// execution and written by the HTTP layer. One per request.
public final class ResponseHeaders: Sendable {
    private let fields = Mutex(HTTPFields())

    public init() {}

    /// Sets `name` to `value`, replacing an earlier value (the last decision wins).
    public func set(_ name: String, _ value: String) {
        guard let field = HTTPField.Name(name) else { return }
        fields.withLock { $0[field] = value }
    }

    public var all: HTTPFields { fields.withLock { $0 } }
}

/// Contexts that know the peer's address; the HTTP layer uses it to identify anonymous clients.
public protocol PeerAddressProviding {
    var peerAddress: String? { get }
}
