/// Told about every request the public endpoint answered, from the response cache or executed
/// (view counters). Called on the request's path: it must only note and return, never wait.
public protocol GraphQLRequestObserver: Sendable {
    func answered(_ request: GraphQLRequest)
}
