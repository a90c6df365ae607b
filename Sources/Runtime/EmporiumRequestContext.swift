import GraphQLSupport
import Hummingbird
import NIOCore

/// The request context of every Emporium route: Hummingbird's basics plus the peer's address,
/// which identifies anonymous clients for rate limits.
public struct EmporiumRequestContext: RequestContext, PeerAddressProviding {
    public var coreContext: CoreRequestContextStorage
    public let peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }
}
