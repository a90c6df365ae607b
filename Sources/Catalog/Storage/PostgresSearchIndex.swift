import EmporiumCore
import Foundation
import Database
import Logging
import PostgresNIO

/// ``SearchIndex`` on the catalog's own tables: full text over `products.search_vector` (Russian
/// and English stems), typo correction over `search_words`, availability from
/// `product_availability` (kept from inventory's events), popularity from `product_counters`,
/// synonyms from `search_synonyms`. docs/search.md explains the choices and their costs.
public struct PostgresSearchIndex: SearchIndex, SearchSteps {
    let client: PostgresClient
    let logger: Logger
    let synonymTable: SynonymTable

    /// Relevance is computed over at most this many matches beyond the requested page, so that a
    /// very broad query ("смартфон" on a million products) costs a bounded amount.
    static let rankingCandidates = 200

    /// `synonymsMaxAge`: how long a process answers from its copy of the synonyms (an edit made
    /// through another process is seen after at most this long; one made here, at once).
    public init(client: PostgresClient, synonymsMaxAge: Duration = .seconds(10), logger: Logger) {
        self.client = client
        self.logger = logger
        synonymTable = SynonymTable(client: client, maxAge: synonymsMaxAge, logger: logger)
    }

    // MARK: Search

    public func search(_ search: ProductSearch) async throws -> SearchHits {
        try await searchByReadings(search)
    }

    /// One page of the products `match` finds, in the search's order.
    func page(_ match: SearchMatch, _ search: ProductSearch) async throws -> [Product] {
        var sql = SQLBuilder()
        let matched = Self.matchSQL(match, &sql)
        let conditions = Self.conditions(search, matched: matched != nil, &sql)
        let limit = sql.bind(Int64(search.limit))
        let offset = sql.bind(Int64(search.offset))
        let with = matched.map { "WITH q AS (SELECT \($0) AS query) " } ?? ""
        let from = matched == nil ? "catalog.products p" : "catalog.products p CROSS JOIN q"
        if search.order == .relevance, matched != nil {
            // The candidates are read with their columns in the same scan (joining them back by id
            // cost a primary-key lookup each), then ranked.
            let candidates = sql.bind(Int64(search.offset + search.limit + Self.rankingCandidates))
            sql.append("""
                \(with)SELECT \(ProductRow.columns) FROM (
                    SELECT p.*, ts_rank(p.search_vector, q.query) AS rank FROM \(from)
                    WHERE \(conditions) LIMIT \(candidates)
                ) p
                ORDER BY p.rank DESC, p.id LIMIT \(limit) OFFSET \(offset)
                """)
        } else if search.order == .relevance || search.order == .newest {
            // A walk of products_created_idx that stops after a page (or, for a rare word, its
            // few matches sorted).
            sql.append("\(with)SELECT \(ProductRow.columns) FROM \(from) WHERE \(conditions) ORDER BY p.created_at DESC, p.id DESC LIMIT \(limit) OFFSET \(offset)")
        } else {
            // Price and popularity order at most the first `countLimit` matches found: sorting every
            // match of a broad query cost seconds ("бесплатную доставку" by price: 4.3 s against
            // 0.4 s), and no index order helps (a price-ordered walk passes 160,000 cheaper products
            // before the first smartphone). Exact whenever the facets are (docs/search.md).
            let cap = sql.bind(Int64(SearchFacets.countLimit))
            let (join, order) = Self.ordering(search.order)
            sql.append("""
                \(with)SELECT \(ProductRow.columns) FROM (SELECT p.* FROM \(from) WHERE \(conditions) LIMIT \(cap)) p\(join)
                ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)
                """)
        }
        var products: [Product] = []
        for try await row in try await client.query(sql.query, logger: logger) { products.append(try ProductRow.decode(row)) }
        return products
    }

    /// The `tsquery` expression of `match` (its binds added to `sql`); nil for `.everything`.
    static func matchSQL(_ match: SearchMatch, _ sql: inout SQLBuilder) -> String? {
        switch match {
        case .everything:
            return nil
        case .text(let text):
            let text = sql.bind(text)
            return "(websearch_to_tsquery('russian', \(text)) || websearch_to_tsquery('english', \(text)))"
        case .words(let words):
            return "(" + words.map { forms in
                "(" + forms.map { form in
                    let text = sql.bind(form)
                    return "plainto_tsquery('russian', \(text)) || plainto_tsquery('english', \(text))"
                }.joined(separator: " || ") + ")"
            }.joined(separator: " && ") + ")"
        }
    }

    /// The WHERE clause over alias `p` (and `q` when `matched`).
    static func conditions(_ search: ProductSearch, matched: Bool, _ sql: inout SQLBuilder) -> String {
        var conditions = [ProductRow.visibilityClause(search.visibility, now: search.now, into: &sql)]
        if matched { conditions.insert("p.search_vector @@ q.query", at: 0) }
        let filters = search.filters
        if let categories = filters.categoryIDs { conditions.append("p.category_id = ANY(\(sql.bind(categories.map(\.uuid))))") }
        if let seller = filters.sellerID { conditions.append("p.seller_id = \(sql.bind(seller.rawValue))") }
        if let min = filters.minPrice { conditions.append("p.price_amount >= \(sql.bind(min))") }
        if let max = filters.maxPrice { conditions.append("p.price_amount <= \(sql.bind(max))") }
        if let currency = filters.currency { conditions.append("p.currency = \(sql.bind(currency.code))") }
        if filters.inStockOnly {
            conditions.append("EXISTS (SELECT 1 FROM catalog.product_availability a WHERE a.product_id = p.id AND a.available > 0)")
        }
        return conditions.joined(separator: " AND ")
    }

    /// The join and ORDER BY of the capped orders: price and popularity.
    static func ordering(_ order: SearchOrder) -> (join: String, orderBy: String) {
        switch order {
        case .popularity:
            (" LEFT JOIN catalog.product_counters c ON c.product_id = p.id", "COALESCE(c.sales_count, 0) DESC, COALESCE(c.view_count, 0) DESC, p.id")
        case .priceDescending: ("", "p.price_amount DESC, p.id")
        // Relevance and newest never come here (page(_:_:) walks the creation index for them).
        case .priceAscending, .relevance, .newest: ("", "p.price_amount, p.id")
        }
    }

    /// The reading a buyer most likely meant, word by word: the first reading that is a word of
    /// some title, else the word as typed. For "showing results for …".
    func likelyReading(_ readings: [[String]]) async throws -> String {
        let all = Array(Set(readings.flatMap { $0 }))
        let known = Set(try await client.query(
            "SELECT word FROM catalog.search_words WHERE word = ANY(\(all))", logger: logger
        ).decode(String.self).collectAll())
        return readings.map { forms in forms.first(where: known.contains) ?? forms.dropFirst().first ?? forms[0] }.joined(separator: " ")
    }

    /// Replaces each query word by the known title word most similar to any of its readings;
    /// nil when no word is close. One statement for every reading of every word.
    func correctedQuery(_ readings: [[String]]) async throws -> String? {
        var inputs: [String] = []
        var owners: [Int64] = []
        for (index, word) in readings.enumerated() {
            for reading in word where reading.count >= 3 && reading.count <= 64 {
                inputs.append(reading)
                owners.append(Int64(index))
            }
        }
        guard !inputs.isEmpty else { return nil }
        let rows = try await client.query("""
            SELECT w.owner, best.word, best.score
            FROM unnest(\(inputs)::text[], \(owners)::bigint[]) AS w(input, owner)
            JOIN LATERAL (
                SELECT word, public.similarity(word, w.input) AS score FROM catalog.search_words
                WHERE word OPERATOR(public.%) w.input ORDER BY word OPERATOR(public.<->) w.input LIMIT 1
            ) best ON true
            """, logger: logger).decode((Int64, String, Float).self).collectAll()
        var best: [Int64: (word: String, score: Float)] = [:]
        for (owner, word, score) in rows where score > (best[owner]?.score ?? -1) { best[owner] = (word, score) }
        let corrected = (0..<Int64(readings.count)).compactMap { best[$0]?.word }
        return corrected.isEmpty ? nil : corrected.joined(separator: " ")
    }

    // MARK: Facets

    public func facets(_ search: ProductSearch, match: SearchMatch) async throws -> SearchFacets {
        var sql = SQLBuilder()
        let matched = Self.matchSQL(match, &sql)
        let conditions = Self.conditions(search, matched: matched != nil, &sql)
        let cap = sql.bind(Int64(SearchFacets.countLimit))
        let with = matched.map { "q AS (SELECT \($0) AS query), " } ?? ""
        let from = matched == nil ? "catalog.products p" : "catalog.products p CROSS JOIN q"
        // The band's lower edge of the 1-2-5 series, from the decimal digits (no floating point):
        // leading digit 1, 2-4 or 5-9, times 10 to the number of the other digits.
        let edge = """
            CASE WHEN m.price_amount < 1 THEN 0::bigint ELSE
                (CASE WHEN left(m.price_amount::text, 1)::int >= 5 THEN 5 WHEN left(m.price_amount::text, 1)::int >= 2 THEN 2 ELSE 1 END)::bigint
                * (10::numeric ^ (length(m.price_amount::text) - 1))::bigint END
            """
        sql.append("""
            WITH \(with)m AS MATERIALIZED (
                SELECT p.category_id, p.currency, p.price_amount FROM \(from) WHERE \(conditions) LIMIT \(cap)
            )
            SELECT 0, m.category_id, NULL::text, NULL::bigint, count(*) FROM m WHERE m.category_id IS NOT NULL GROUP BY m.category_id
            UNION ALL
            SELECT 1, NULL::uuid, b.currency, b.edge, count(*) FROM (SELECT m.currency, \(edge) AS edge FROM m) b GROUP BY b.currency, b.edge
            UNION ALL
            SELECT 2, NULL::uuid, NULL::text, NULL::bigint, count(*) FROM m
            """)
        var total = 0
        var categories: [SearchFacets.CategoryCount] = []
        var prices: [SearchFacets.PriceBandCount] = []
        for try await (kind, category, currency, edge, count) in try await client.query(sql.query, logger: logger)
            .decode((Int32, UUID?, String?, Int64?, Int64).self) {
            switch kind {
            case 0: if let category { categories.append(.init(categoryID: CategoryID(uuid: category), count: Int(count))) }
            case 1:
                if let currency, let edge, let code = try? Currency(code: currency) {
                    prices.append(.init(band: PriceBand(currency: code, lower: edge, upper: PriceBand.upperEdge(after: edge)), count: Int(count)))
                }
            default: total = Int(count)
            }
        }
        categories.sort { ($0.count, $1.categoryID.uuid.uuidString) > ($1.count, $0.categoryID.uuid.uuidString) }
        return SearchFacets(
            total: total, exact: total < SearchFacets.countLimit, categories: Array(categories.prefix(20)), prices: prices.sorted { $0.band < $1.band })
    }

    // MARK: Suggestions

    public func suggestions(prefixes: [String], limit: Int, now: Date) async throws -> [SearchSuggestion] {
        var sql = SQLBuilder()
        var parts: [String] = []
        let visible = ProductRow.visibilityClause(.publicOnly, now: now, into: &sql)
        let count = sql.bind(Int64(limit))
        for (index, prefix) in prefixes.enumerated() {
            let words = prefix.split(separator: " ")
            guard let last = words.last else { continue }
            // Word completions come in the index's order, more than needed, so that the shortest
            // can be chosen without sorting every word that starts with a short prefix.
            if last.count >= 2 {
                let pattern = sql.bind(Self.likePrefix(String(last)))
                parts.append("(SELECT 0, \(index), word, NULL::uuid FROM catalog.search_words WHERE word COLLATE \"C\" LIKE \(pattern) ORDER BY word COLLATE \"C\" LIMIT 50)")
            }
            let title = sql.bind(Self.likePrefix(prefix))
            parts.append("""
                (SELECT 1, \(index), p.title, p.id FROM catalog.products p WHERE lower(p.title) COLLATE "C" LIKE \(title) AND \(visible)
                 ORDER BY lower(p.title) COLLATE "C" LIMIT \(count))
                """)
        }
        guard !parts.isEmpty else { return [] }
        sql.append(parts.joined(separator: " UNION ALL "))
        var completions: [(variant: Int, word: String)] = []
        var products: [SearchSuggestion] = []
        for try await (kind, variant, text, id) in try await client.query(sql.query, logger: logger).decode((Int32, Int32, String, UUID?).self) {
            if kind == 0 { completions.append((Int(variant), text)) } else if let id {
                products.append(SearchSuggestion(kind: .product, text: text, productID: ProductID(uuid: id)))
            }
        }
        return Self.suggestions(completions: completions, products: products, prefixes: prefixes, limit: limit)
    }

    /// Completions (shortest first, each after the words typed before the last) and then the
    /// products (each once), at most `limit` of each.
    static func suggestions(completions: [(variant: Int, word: String)], products: [SearchSuggestion], prefixes: [String], limit: Int) -> [SearchSuggestion] {
        var seen = Set<String>()
        var queries: [SearchSuggestion] = []
        for (variant, word) in completions.sorted(by: { ($0.word.count, $0.word) < ($1.word.count, $1.word) }) {
            let head = prefixes[variant].split(separator: " ").dropLast().joined(separator: " ")
            let text = head.isEmpty ? word : head + " " + word
            if seen.insert(text).inserted { queries.append(SearchSuggestion(kind: .query, text: text)) }
        }
        var titles = Set<ProductID>()
        return Array(queries.prefix(limit)) + products.filter { $0.productID.map { titles.insert($0).inserted } ?? false }.prefix(limit)
    }

    /// `text` as a LIKE pattern matching what starts with it (its own `%`, `_` and `\` escaped).
    static func likePrefix(_ text: String) -> String {
        var pattern = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
            pattern.append(character)
        }
        return pattern + "%"
    }

    // MARK: Synonyms

    public func synonyms(after: String?, limit: Int) async throws -> [SearchSynonyms] {
        let after = after ?? ""
        return try await client.query("""
            SELECT term, synonyms, updated_at FROM catalog.search_synonyms WHERE term > \(after) ORDER BY term LIMIT \(Int64(limit))
            """, logger: logger).decode((String, [String], Date).self).collectAll().map { SearchSynonyms(term: $0.0, synonyms: $0.1, updatedAt: $0.2) }
    }

    public func setSynonyms(term: String, synonyms: [String], at now: Date) async throws -> SearchSynonyms {
        guard !synonyms.isEmpty else {
            try await client.query("DELETE FROM catalog.search_synonyms WHERE term = \(term)", logger: logger)
            await synonymTable.invalidate()
            return SearchSynonyms(term: term, synonyms: [], updatedAt: now)
        }
        // The table is read whole into every catalog process: its size is bounded.
        let rows = try await client.query("""
            INSERT INTO catalog.search_synonyms (term, synonyms, updated_at)
            SELECT \(term), \(synonyms), \(now) WHERE (SELECT count(*) FROM catalog.search_synonyms) < \(Int64(SynonymTable.maximumTerms))
                OR EXISTS (SELECT 1 FROM catalog.search_synonyms WHERE term = \(term))
            ON CONFLICT (term) DO UPDATE SET synonyms = EXCLUDED.synonyms, updated_at = EXCLUDED.updated_at
            RETURNING term, synonyms, updated_at
            """, logger: logger).decode((String, [String], Date).self).collectAll()
        await synonymTable.invalidate()
        guard let row = rows.first else {
            throw EmporiumError(.conflict, "at most \(SynonymTable.maximumTerms) terms have synonyms; remove one (an empty list) before adding another")
        }
        return SearchSynonyms(term: row.0, synonyms: row.1, updatedAt: row.2)
    }
}
