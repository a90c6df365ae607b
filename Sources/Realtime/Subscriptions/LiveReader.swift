import GraphQLSupport
import Identity

/// Whom a subscription's answers are read as: the principal the connection's token proved.
/// Only the principal is kept, not the token: in the distributed topology the resolutions reach
/// the subgraphs over HTTP with the internal credential, which asserts this principal
/// (`InternalCredential.principalHeader`). The connection is closed when its token expires, so
/// the principal is never asserted past the token's life.
public struct LiveReader: Sendable {
    public let principal: Principal

    public init(principal: Principal) {
        self.principal = principal
    }

    var requestInfo: GraphQLRequestInfo { GraphQLRequestInfo(principal: principal) }
}

extension Optional where Wrapped == LiveReader {
    /// Anonymous without a reader.
    var requestInfo: GraphQLRequestInfo { self?.requestInfo ?? GraphQLRequestInfo(principal: nil) }
}
