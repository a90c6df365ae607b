import Database
import EmporiumCore
import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// ``SearchIndex`` answered from memory: every product's stems (PostgreSQL's own, read from
/// `search_vector`), filters and sort keys, held in each catalog process and kept current from
/// `catalog.search_changes` (``SearchChangeFeed``). PostgreSQL stays the source of truth: the
/// page's products are read from it by id, queries are stemmed by it (and the stems cached),
/// typo correction and synonyms stay its, and until the copy is loaded, or for what the copy
/// does not evaluate (phrases), ``PostgresSearchIndex`` answers. docs/search.md has the design
/// and the measurements.
public final class ResidentSearchIndex: SearchIndex, SearchSteps, Service {
    /// When the copy reads the changes.
    public enum Freshness: Sendable {
        /// In the background, this often (`run()`): a change is searchable within about that long.
        case every(Duration)
        /// Before every read, waiting for it: each search sees every change committed before it
        /// (tests, and the contract both adapters meet).
        case beforeEachRead
    }

    let postgres: PostgresSearchIndex
    let feed: SearchChangeFeed
    let freshness: Freshness
    let logger: Logger
    var synonymTable: SynonymTable { postgres.synonymTable }

    private let corpus = CorpusLock()
    private let state = Mutex(ReadState())
    private let reads = Mutex<Task<Void, any Error>?>(nil)
    /// Products as last read for a page, by id. An entry is served only while its version is the
    /// one the copy holds, and dropped when the feed sees the product change: a page shows what
    /// the index matched, never older (docs/search.md, "Pages from memory").
    private let pages = BoundedCache<UUID, Product>(maximumEntries: 200_000, maximumBytes: 128 << 20)
    /// Text searches' pages by how they were ranked: among the champion lists alone, or over every
    /// match (docs/search.md, "Champion lists").
    private let championPages = Counter(label: "emporium_search_pages_total", dimensions: [("ranked", "champions")])
    private let everyMatchPages = Counter(label: "emporium_search_pages_total", dimensions: [("ranked", "every_match")])
    /// Parsed `tsquery`s by query text: a repeated query is stemmed once.
    private let stems = BoundedCache<Stemming, ParsedQuery>(maximumEntries: 20_000, maximumBytes: 16 << 20)

    private struct ReadState {
        var horizon: Int64?
        /// Entries above the horizon already applied.
        var early: Set<SearchChangeFeed.Entry> = []
        var lastRead: ContinuousClock.Instant?
        var ready = false
        var warnedAt: ContinuousClock.Instant?
    }

    /// Entries above the horizon past which a held horizon is worth an operator's attention: each
    /// read lists them again, and they are remembered until it moves.
    static let heldHorizonWarning = 100_000

    private enum Stemming: Hashable, Sendable {
        case web(String)
        case plain(String)
    }

    private struct ParsedQuery: Sendable {
        let query: LexemeQuery?
    }

    public init(client: PostgresClient, freshness: Freshness = .every(.milliseconds(250)), logger: Logger) {
        postgres = PostgresSearchIndex(client: client, logger: logger)
        feed = SearchChangeFeed(client: client, logger: logger)
        self.freshness = freshness
        self.logger = logger
    }

    /// Whether searches are answered from memory (the first load has finished).
    public var isReady: Bool { state.withLock(\.ready) }

    /// Products (live, dead) and lexemes held, for logs and tests.
    var size: (documents: Int, dead: Int, lexemes: Int) { corpus.read { ($0.liveCount, $0.deadCount, $0.postings.count) } }

    // MARK: Keeping current

    /// Reads the changes every interval until shutdown (with `.beforeEachRead`, searches read them
    /// themselves and this only waits for shutdown: a service that returned would stop the node).
    public func run() async throws {
        guard case .every(let interval) = freshness else {
            try? await gracefulShutdown()
            return
        }
        // Shutdown cancels the loop while it sleeps or reads; it returns rather than throws (a
        // service that throws on the way out fails the whole node's exit).
        await cancelWhenGracefulShutdown { await self.readLoop(every: interval) }
    }

    private func readLoop(every interval: Duration) async {
        var pruned = ContinuousClock.now
        while !Task.isCancelled {
            do { try await catchUp() } catch {
                if Task.isCancelled { return }
                logger.warning("search index: reading changes failed; searches answer from the last copy until the next read succeeds",
                    metadata: ["error": "\(String(reflecting: error))"])
            }
            recordGauges()
            if pruned.duration(to: .now) > .seconds(600) {
                pruned = .now
                do { try await feed.prune() } catch { logger.warning("search index: pruning the change log failed", metadata: ["error": "\(error)"]) }
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    /// For operators (and the benchmark, which waits for the load): products held, dead numbers
    /// awaiting compaction, whether the copy answers, and seconds since the last successful read.
    private func recordGauges() {
        let size = self.size
        let (ready, lastRead) = state.withLock { ($0.ready, $0.lastRead) }
        Gauge(label: "emporium_search_index_documents").record(size.documents)
        Gauge(label: "emporium_search_index_dead").record(size.dead)
        Gauge(label: "emporium_search_index_ready").record(ready ? 1 : 0)
        if let lastRead { Gauge(label: "emporium_search_index_age_seconds").record(Double(lastRead.duration(to: .now).components.seconds)) }
    }

    /// Reads what changed since the last read (everything, the first time or after a gap longer
    /// than the log keeps). Reads run one after another: a caller waits for one that started
    /// after it asked, so it sees every change committed before the call.
    public func catchUp() async throws {
        let task = reads.withLock { previous -> Task<Void, any Error> in
            // Unstructured on purpose: one read, chained after the one before it so that reads
            // never overlap, shared by every caller that asks meanwhile and awaited by each (the
            // caller's cancellation is forwarded below). It ends with its read; nothing outlives it.
            let next = Task { [previous] in
                _ = await previous?.result
                try await self.readOnce()
            }
            previous = next
            return next
        }
        // A cancelled caller (shutdown during a first load of a million products) cancels the read
        // rather than waiting a minute for it: the next read starts again.
        try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    private func readOnce() async throws {
        let (horizon, lastRead) = state.withLock { ($0.horizon, $0.lastRead) }
        let started = ContinuousClock.now
        guard let horizon, let lastRead, lastRead.duration(to: started) < SearchChangeFeed.retention - .seconds(60) else {
            try await rebuild()
            return
        }
        let read = try await feed.entries(from: horizon)
        let early = state.withLock(\.early)
        let fresh = read.entries.filter { !early.contains($0) }
        if !fresh.isEmpty {
            // A product whose row changed is read whole; one whose counters or availability alone
            // changed (most entries: view counts) is read as three numbers and written in place.
            let rewritten = Set(fresh.lazy.filter { !$0.factsOnly }.map(\.product))
            let recounted = Set(fresh.lazy.filter(\.factsOnly).map(\.product)).subtracting(rewritten)
            let changes = try await feed.products(Array(rewritten))
            let facts = try await feed.facts(Array(recounted))
            // Cached page products carry their counters too.
            for entry in fresh { pages.removeValue(for: entry.product) }
            corpus.write { corpus in
                for product in changes.changed { corpus.upsert(product) }
                for id in changes.removed { corpus.remove(id) }
                for fact in facts { corpus.writeCounters(fact) }
                if corpus.needsCompaction { corpus.compact() } else if corpus.impactsAreStale { corpus.recomputeImpacts() }
            }
        }
        let warn = state.withLock { state -> Int? in
            state.horizon = read.horizon
            state.early = Set((early.union(fresh)).filter { $0.transaction >= read.horizon })
            state.lastRead = started
            guard state.early.count > Self.heldHorizonWarning, state.warnedAt.map({ $0.duration(to: started) > .seconds(60) }) ?? true else { return nil }
            state.warnedAt = started
            return state.early.count
        }
        if let warn {
            logger.warning(
                "search index: a long-running transaction holds the change log's horizon (find it in pg_stat_activity by xact_start); changes are still applied, but each read lists them all again",
                metadata: ["horizon": "\(read.horizon)", "entries.above": "\(warn)"])
        }
    }

    /// Loads every product into a new copy (searches meanwhile answer from the old one, or from
    /// PostgreSQL before the first), then swaps it in.
    private func rebuild() async throws {
        let started = ContinuousClock.now
        let horizon = try await feed.horizon()
        var built = ResidentCorpus()
        built.setVocabulary(try await feed.vocabulary())
        try await feed.everyProduct { built.upsert($0, bulk: true) }
        built.finishBulkLoad()
        let documents = built.liveCount, lexemes = built.postings.count
        corpus.write { $0 = built }
        pages.removeAll()
        state.withLock {
            $0.horizon = horizon
            $0.early = []
            $0.lastRead = started
            $0.ready = true
        }
        logger.info("search index loaded", metadata: [
            "products": "\(documents)", "lexemes": "\(lexemes)", "seconds": "\(started.duration(to: .now).components.seconds)",
        ])
    }

    private func fresh() async throws {
        if case .beforeEachRead = freshness { try await catchUp() }
    }

    // MARK: SearchIndex

    public func search(_ search: ProductSearch) async throws -> SearchHits {
        try await fresh()
        return try await searchByReadings(search)
    }

    func page(_ match: SearchMatch, _ search: ProductSearch) async throws -> [Product] {
        guard isReady else { return try await postgres.page(match, search) }
        let ids: [UUID]?
        if case .everything = match {
            ids = corpus.read { $0.page(nil, search) }
        } else if let query = try await lexemeQuery(match) {
            let ranked: (ids: [UUID], byChampions: Bool)? = try corpus.read { corpus in
                guard try Self.affordable(query, corpus) else { return nil }
                if let page = corpus.championPage(query, search) { return (page, true) }
                return corpus.matches(query).map { (corpus.page($0, search), false) }
            }
            if let ranked { (ranked.byChampions ? championPages : everyMatchPages).increment() }
            ids = ranked?.ids
        } else {
            ids = nil
        }
        guard let ids else { return try await postgres.page(match, search) }
        return try await products(ids, search)
    }

    public func facets(_ search: ProductSearch, match: SearchMatch) async throws -> SearchFacets {
        try await fresh()
        guard isReady else { return try await postgres.facets(search, match: match) }
        let facets: SearchFacets?
        if case .everything = match {
            facets = corpus.read { $0.facets(nil, search) }
        } else if let query = try await lexemeQuery(match) {
            facets = try corpus.read { corpus in try Self.affordable(query, corpus) ? corpus.matches(query).map { corpus.facets($0, search) } : nil }
        } else {
            facets = nil
        }
        guard let facets else { return try await postgres.facets(search, match: match) }
        return facets
    }

    /// True when `query` is within the work limit; refuses it (a client's mistake, a coded error)
    /// when not. PostgreSQL would spend as much, so there is no fallback.
    private static func affordable(_ query: LexemeQuery, _ corpus: ResidentCorpus) throws -> Bool {
        let work = corpus.work(query)
        guard work <= ResidentCorpus.workLimit else {
            throw EmporiumError.badInput(
                "this search combines too many common words (with 'or' or by itself); search for fewer alternatives at once", field: "query")
        }
        return true
    }

    func likelyReading(_ readings: [[String]]) async throws -> String {
        guard isReady else { return try await postgres.likelyReading(readings) }
        return corpus.read { corpus in
            readings.map { forms in forms.first(where: corpus.vocabularySet.contains) ?? forms.dropFirst().first ?? forms[0] }.joined(separator: " ")
        }
    }

    func correctedQuery(_ readings: [[String]]) async throws -> String? {
        try await postgres.correctedQuery(readings)
    }

    public func suggestions(prefixes: [String], limit: Int, now: Date) async throws -> [SearchSuggestion] {
        try await fresh()
        guard isReady else { return try await postgres.suggestions(prefixes: prefixes, limit: limit, now: now) }
        return corpus.read { corpus in
            var completions: [(variant: Int, word: String)] = []
            var products: [SearchSuggestion] = []
            for (variant, prefix) in prefixes.enumerated() {
                if let last = prefix.split(separator: " ").last, last.count >= 2 {
                    completions += corpus.completions(of: String(last), limit: 50).map { (variant, $0) }
                }
                products += corpus.titles(startingWith: prefix, limit: limit, now: now.timeIntervalSince1970).map {
                    SearchSuggestion(kind: .product, text: $0.title, productID: ProductID(uuid: $0.id))
                }
            }
            return PostgresSearchIndex.suggestions(completions: completions, products: products, prefixes: prefixes, limit: limit)
        }
    }

    public func synonyms(after: String?, limit: Int) async throws -> [SearchSynonyms] {
        try await postgres.synonyms(after: after, limit: limit)
    }

    public func setSynonyms(term: String, synonyms: [String], at now: Date) async throws -> SearchSynonyms {
        try await postgres.setSynonyms(term: term, synonyms: synonyms, at: now)
    }

    // MARK: PostgreSQL's parts

    /// The page's products in the page's order: from memory when the copy there is the version the
    /// index holds, else read by id (and kept). Visibility is checked again on the product itself,
    /// so one hidden since the index last read it is left out rather than shown.
    private func products(_ ids: [UUID], _ search: ProductSearch) async throws -> [Product] {
        guard !ids.isEmpty else { return [] }
        let versions = corpus.read { corpus in ids.map { corpus.version(of: $0) } }
        var byID: [UUID: Product] = [:]
        var missing: [UUID] = []
        for (id, version) in zip(ids, versions) {
            if let version, let kept = pages.value(for: id), kept.version == Int(version) { byID[id] = kept } else { missing.append(id) }
        }
        if !missing.isEmpty {
            for try await row in try await postgres.client.query(
                "SELECT \(unescaped: ProductRow.columns) FROM catalog.products p WHERE p.id = ANY(\(missing))", logger: logger
            ) {
                let product = try ProductRow.decode(row)
                byID[product.id.uuid] = product
                pages.store(product, for: product.id.uuid, bytes: Self.size(of: product))
            }
        }
        return ids.compactMap { id in byID[id].flatMap { Self.isVisible($0, search) ? $0 : nil } }
    }

    static func isVisible(_ product: Product, _ search: ProductSearch) -> Bool {
        switch search.visibility {
        case .all: true
        case .publicOnly: product.isPubliclyVisible(at: search.now)
        case .publicOrOwnedBy(let seller): product.sellerID == seller || product.isPubliclyVisible(at: search.now)
        }
    }

    /// About what a product holds in memory, for the cache's byte bound.
    static func size(of product: Product) -> Int {
        256 + product.title.utf8.count + product.description.utf8.count + product.slug.description.utf8.count
            + product.attributes.reduce(0) { $0 + 32 + $1.key.utf8.count + $1.value.utf8.count }
            + product.imageURLs.reduce(0) { $0 + 16 + $1.utf8.count }
    }

    /// `match` as a tree of stems; nil when PostgreSQL must evaluate it (a phrase). Stems come
    /// from PostgreSQL's own functions, one round trip for what is not cached yet.
    private func lexemeQuery(_ match: SearchMatch) async throws -> LexemeQuery? {
        switch match {
        case .everything:
            return nil
        case .text(let text):
            return try await stemmed([.web(text)])[0]
        case .words(let words):
            let forms = words.map { $0.map(Stemming.plain) }
            let stems = try await stemmed(forms.flatMap { $0 })
            var position = 0
            var groups: [LexemeQuery] = []
            for word in forms {
                var alternatives: [LexemeQuery] = []
                for _ in word {
                    guard let stem = stems[position] else { return nil }
                    alternatives.append(stem)
                    position += 1
                }
                groups.append(.or(alternatives))
            }
            return .and(groups)
        }
    }

    private func stemmed(_ requests: [Stemming]) async throws -> [LexemeQuery?] {
        var found = [LexemeQuery??](repeating: nil, count: requests.count)
        var missing: [Int] = []
        for (index, request) in requests.enumerated() {
            if let cached = stems.value(for: request) { found[index] = .some(cached.query) } else { missing.append(index) }
        }
        if !missing.isEmpty {
            let web = missing.map { if case .web(let text) = requests[$0] { text } else { "" } }
            let plain = missing.map { if case .plain(let text) = requests[$0] { text } else { "" } }
            let kinds = missing.map { if case .web = requests[$0] { true } else { false } }
            let rows = try await postgres.client.query("""
                SELECT CASE WHEN k THEN (websearch_to_tsquery('russian', w) || websearch_to_tsquery('english', w))::text
                            ELSE (plainto_tsquery('russian', p) || plainto_tsquery('english', p))::text END
                FROM unnest(\(kinds)::boolean[], \(web)::text[], \(plain)::text[]) WITH ORDINALITY AS r(k, w, p, n) ORDER BY n
                """, logger: logger).decode(String.self).collectAll()
            guard rows.count == missing.count else { throw EmporiumError(.internalError, "PostgreSQL stemmed \(rows.count) of \(missing.count) queries") }
            for (index, text) in zip(missing, rows) {
                let parsed = ParsedQuery(query: LexemeText.query(text))
                let request = requests[index]
                let bytes: Int
                switch request { case .web(let text), .plain(let text): bytes = 4 * text.utf8.count + 128 }
                stems.store(parsed, for: request, bytes: bytes)
                found[index] = .some(parsed.query)
            }
        }
        return found.map { $0 ?? nil }
    }
}
