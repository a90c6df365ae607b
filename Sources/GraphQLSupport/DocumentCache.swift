import EmporiumCore
import GraphQL

/// Parsed and validated documents by query text, so that repeated operations skip both steps:
/// the one document cache of an endpoint (the gateway's and each subgraph's).
///
/// Bounded in bytes as well as entries: a query text may be a megabyte and its syntax tree
/// several times that, so a thousand distinct large queries must not pin gigabytes.
public final class DocumentCache: Sendable {
    /// Safe to share: GraphQLSwift's AST is made of classes that are not marked `Sendable`, but
    /// a document is never mutated after parsing and validation, and is only read afterwards.
    struct Entry: @unchecked Sendable {
        let document: Document
    }

    /// What a cached document is taken to cost per byte of its text: the text (the key) plus
    /// its syntax tree, a few objects per token.
    static let bytesPerTextByte = 8

    private let cache: BoundedCache<String, Entry>

    public init(capacity: Int = 1000, maximumBytes: Int = 32 << 20) {
        cache = BoundedCache(maximumEntries: capacity, maximumBytes: maximumBytes)
    }

    public func document(for query: String) -> Document? {
        cache.value(for: query)?.document
    }

    public func store(_ document: Document, for query: String) {
        cache.store(Entry(document: document), for: query, bytes: query.utf8.count * Self.bytesPerTextByte)
    }

    /// Entries and the bytes they are taken to cost.
    public var statistics: (entries: Int, bytes: Int) {
        let statistics = cache.statistics
        return (statistics.entries, statistics.bytes)
    }
}
