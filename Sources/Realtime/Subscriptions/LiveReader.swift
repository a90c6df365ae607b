import GraphQLSupport
import HTTPTypes
import Identity

/// Whom a subscription's answers are read as: the verified principal, and the `Authorization`
/// it proved itself with. In the distributed topology a realtime node resolves events through
/// the subgraphs over HTTP, and each subgraph authorizes every request itself, so an owner's
/// answer must carry the owner's own credential (without it an order's buyer was answered
/// UNAUTHENTICATED). The token is the one the connection was opened with; the connection is
/// closed when it expires, so it is valid whenever it is sent.
public struct LiveReader: Sendable {
    public let principal: Principal
    let authorization: String?

    /// `bearerToken`: as verified, for resolutions over HTTP; nil where the executor runs in
    /// process and reads the principal itself.
    public init(principal: Principal, bearerToken: String? = nil) {
        self.principal = principal
        self.authorization = bearerToken.map { "Bearer \($0)" }
    }

    var requestInfo: GraphQLRequestInfo {
        var headers = HTTPFields()
        if let authorization { headers[.authorization] = authorization }
        return GraphQLRequestInfo(principal: principal, headers: headers)
    }
}

extension Optional where Wrapped == LiveReader {
    /// Anonymous without a reader.
    var requestInfo: GraphQLRequestInfo { self?.requestInfo ?? GraphQLRequestInfo(principal: nil) }
}
