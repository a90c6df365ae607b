import Synchronization

/// What one request's answer was built from, as cache tags (`product:<id>`, `stock:<id>`,
/// `products`): resolvers add the tags of what they read, and the response cache stores the
/// answer under them (see `TagInvalidation`). One per request, shared by the gateway and the
/// in-process subgraphs it calls; subgraphs over HTTP send theirs in the `Emporium-Cache-Tags`
/// response header.
///
/// The rule for resolvers: a resolver that reads state another request can change adds the tag
/// that the change invalidates. A missing tag cannot serve stale data longer than the root
/// field's maximum age.
public final class ResponseTags: Sendable {
    /// The response header that carries a subgraph's tags to the gateway (comma-separated).
    public static let headerName = "Emporium-Cache-Tags"

    private let tags = Mutex(Set<String>())

    public init() {}

    public func add(_ tag: String) {
        _ = tags.withLock { $0.insert(tag) }
    }

    public func add(contentsOf tags: some Sequence<String>) {
        self.tags.withLock { $0.formUnion(tags) }
    }

    /// Adds the tags of a header value written by ``headerValue``.
    public func add(headerValue: Substring) {
        add(contentsOf: headerValue.split(separator: ",").map { String($0.drop(while: { $0 == " " })) }.filter { !$0.isEmpty })
    }

    public var all: [String] {
        tags.withLock { Array($0) }
    }

    public var headerValue: String? {
        let all = self.all
        return all.isEmpty ? nil : all.sorted().joined(separator: ",")
    }
}
