import EmporiumCore
import Foundation
import GraphQL
import GraphQLExecution

/// Parsed and validated documents by query text, so that repeated operations skip both steps.
///
/// One cache serves the whole process (``shared``): the gateway and every subgraph endpoint
/// keep their documents in it, each under its own ``Scope`` (a document valid against one
/// schema is not valid against another), so memory has one bound rather than one per endpoint.
///
/// Bounded in bytes as well as entries: a query text may be a megabyte and its syntax tree
/// several times that, so a thousand distinct large queries must not pin gigabytes.
public final class DocumentCache: Sendable {
    /// Safe to share: GraphQLSwift's AST is made of classes that are not marked `Sendable`, but
    /// a document is never mutated after parsing and validation, and is only read afterwards.
    struct Entry: @unchecked Sendable {
        let document: Document
        /// The engine's compiled plans of this document, kept as long as the document is.
        let plans: PlanStore
    }

    /// What a cached document is taken to cost per byte of its text: the text (the key) plus
    /// its syntax tree, a few objects per token.
    static let bytesPerTextByte = 8

    /// The documents of one schema's endpoint.
    public struct Scope: Hashable, Sendable {
        let id: UUID?

        /// A scope no other endpoint shares.
        public static func unique() -> Scope {
            Scope(id: UUID())
        }

        /// For a cache that serves one endpoint.
        public static let single = Scope(id: nil)
    }

    private struct Key: Hashable, Sendable {
        let scope: Scope
        let text: String
    }

    /// The process's cache: every endpoint's documents, within one bound.
    public static let shared = DocumentCache(capacity: 4000, maximumBytes: 64 << 20)

    private let cache: BoundedCache<Key, Entry>

    public init(capacity: Int = 1000, maximumBytes: Int = 32 << 20) {
        cache = BoundedCache(maximumEntries: capacity, maximumBytes: maximumBytes)
    }

    public func document(for query: String, in scope: Scope = .single) -> Document? {
        entry(for: query, in: scope)?.document
    }

    /// The document with the store of its compiled plans.
    func entry(for query: String, in scope: Scope) -> Entry? {
        cache.value(for: Key(scope: scope, text: query))
    }

    @discardableResult
    public func store(_ document: Document, for query: String, in scope: Scope = .single) -> PlanStore {
        let plans = PlanStore()
        cache.store(Entry(document: document, plans: plans), for: Key(scope: scope, text: query), bytes: query.utf8.count * Self.bytesPerTextByte)
        return plans
    }

    /// Entries and the bytes they are taken to cost.
    public var statistics: (entries: Int, bytes: Int) {
        let statistics = cache.statistics
        return (statistics.entries, statistics.bytes)
    }
}
