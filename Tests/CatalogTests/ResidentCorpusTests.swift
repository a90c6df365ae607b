@testable import Catalog
import EmporiumCore
import Foundation
import Identity
import Testing

/// The resident search index's pure parts: PostgreSQL's text forms read back, and the corpus's
/// answers checked against a brute-force evaluation of the same documents (differential), through
/// updates, removals and compaction.
@Suite struct ResidentCorpusTests {
    // MARK: Text forms

    @Test func vectorsGiveTitleAndDescriptionCounts() throws {
        let occurrences = try #require(LexemeText.vector("'galaxy':1A,7 'it''s':3B 'back\\\\slash':4 'смартфон':2A,5A,9B 'stripped'"))
        #expect(occurrences == [
            .init(lexeme: "galaxy", title: 1, description: 1), .init(lexeme: "it's", title: 0, description: 1),
            .init(lexeme: "back\\slash", title: 0, description: 1), .init(lexeme: "смартфон", title: 2, description: 1),
            .init(lexeme: "stripped", title: 0, description: 1),
        ])
        #expect(LexemeText.vector("") == [])
        for broken in ["'open", "word", "'a':", "'a':x", "'a':1,", "'a' 'b':1A,,2"] { #expect(LexemeText.vector(broken) == nil, "\(broken)") }
    }

    @Test func queriesParseWithPrecedenceAndRefuseWhatPostgreSQLMustEvaluate() throws {
        #expect(LexemeText.query("'a' & 'b' | 'c' & !'d'") == .or([.and([.term("a"), .term("b")]), .and([.term("c"), .not(.term("d"))])]))
        #expect(LexemeText.query("( 'a' | 'b' ) & 'c'") == .and([.or([.term("a"), .term("b")]), .term("c")]))
        #expect(LexemeText.query("") == .or([]))
        #expect(LexemeText.query("'x'") == .term("x"))
        for unsupported in ["'a' <-> 'b'", "'a' & 'b' <2> 'c'", "'pre':*", "'a':AB", "( 'a'", "'a' &", "'a' 'b'", "!"] {
            #expect(LexemeText.query(unsupported) == nil, "\(unsupported)")
        }
        let deep = String(repeating: "( ", count: 200) + "'a'" + String(repeating: " )", count: 200)
        #expect(LexemeText.query(deep) == nil)
        let negations = String(repeating: "!", count: 200) + "'a'"
        #expect(LexemeText.query(negations) == nil)
    }

    // MARK: Differential

    /// The seed's generator: the same sequence on every run.
    typealias Random = SeedRandom

    static let words = (0..<40).map { "w\($0)" }
    static let categories = (0..<6).map { _ in UUID() }

    static func product(_ random: inout Random, id: UUID = UUID(), created: Int) -> IndexedProduct {
        var vector: [String] = []
        // Earlier words are commoner, as in real text.
        for word in Set((0..<(1 + random.below(6))).map { _ in words[min(random.below(40), random.below(40))] }).sorted() {
            let title = random.below(3), description = random.below(3)
            let positions = (0..<max(title + description, 1)).map { index in index < title ? "\(index + 1)A" : "\(index + 1)" }
            vector.append("'\(word)':" + positions.joined(separator: ","))
        }
        let statuses: [ProductStatus] = [.published, .published, .published, .draft, .scheduled, .archived]
        return IndexedProduct(
            id: id, sellerID: "seller-\(random.below(3))", title: "Title \(random.below(50)) \(words[random.below(40)])",
            price: Int64(random.below(5) * 100), currency: random.below(4) == 0 ? "USD" : "RUB",
            categoryID: random.below(5) == 0 ? nil : categories[random.below(categories.count)],
            status: statuses[random.below(statuses.count)], publishAt: Date(timeIntervalSince1970: Double(random.below(200))),
            createdAt: Date(timeIntervalSince1970: Double(created / 3)), vector: vector.joined(separator: " "), available: Int64(random.below(3)),
            sales: Int64(random.below(4)), views: Int64(random.below(4)))
    }

    static func query(_ random: inout Random, depth: Int = 0) -> LexemeQuery {
        switch depth > 1 ? 0 : random.below(4) {
        case 0: return .term(random.below(10) == 0 ? "missing" : words[min(random.below(40), random.below(40))])
        case 1: return .or((0..<(1 + random.below(3))).map { _ in query(&random, depth: depth + 1) })
        default:
            var children = (0..<(1 + random.below(3))).map { _ in query(&random, depth: depth + 1) }
            if random.below(3) == 0 { children.append(.not(query(&random, depth: depth + 1))) }
            return .and(children)
        }
    }

    /// Brute force: does `vector` (its lexemes) satisfy `query`?
    static func satisfies(_ lexemes: Set<String>, _ query: LexemeQuery) -> Bool {
        switch query {
        case .term(let word): lexemes.contains(word)
        case .and(let children): children.allSatisfy { satisfies(lexemes, $0) }
        case .or(let children): children.contains { satisfies(lexemes, $0) }
        case .not(let inner): !satisfies(lexemes, inner)
        }
    }

    static func lexemes(_ product: IndexedProduct) -> Set<String> {
        Set(LexemeText.vector(product.vector)!.map(\.lexeme))
    }

    static func search(_ random: inout Random, order: SearchOrder) -> ProductSearch {
        var filters = SearchFilters(inStockOnly: random.below(3) == 0)
        if random.below(3) == 0 { filters.categoryIDs = [CategoryID(uuid: categories[random.below(categories.count)]), CategoryID(uuid: categories[random.below(categories.count)])] }
        if random.below(4) == 0 { filters.sellerID = UserID("seller-\(random.below(4))") }
        if random.below(4) == 0 { filters.minPrice = 100 }
        if random.below(4) == 0 { filters.maxPrice = 300 }
        if random.below(4) == 0 { filters.currency = try? Currency(code: random.below(2) == 0 ? "RUB" : "EUR") }
        let visibility: ProductVisibility = [.publicOnly, .all, .publicOrOwnedBy(UserID("seller-1"))][random.below(3)]
        return ProductSearch(
            text: "", filters: filters, order: order, visibility: visibility, now: Date(timeIntervalSince1970: 100),
            offset: random.below(4) * 5, limit: 1 + random.below(20))
    }

    @Test func answersMatchABruteForceEvaluationThroughUpdatesAndCompaction() throws {
        var random = Random(seed: 2026)
        var corpus = ResidentCorpus()
        corpus.championCount = 30  // lists here are hundreds long: champions and their bound are both in play
        var current: [UUID: IndexedProduct] = [:]
        var champions = ChampionOutcomes()
        var created = 0
        for _ in 0..<1_500 {
            let product = Self.product(&random, created: created)
            created += 1
            corpus.upsert(product, bulk: true)
            current[product.id] = product
        }
        corpus.finishBulkLoad()
        #expect(corpus.postings.contains { $0.bitmap != nil } && corpus.postings.contains { $0.bitmap == nil }, "both ways of intersecting are checked")
        for round in 0..<6 {
            // Changes: new text, new facts only, removals, additions.
            let ids = current.keys.sorted { $0.uuidString < $1.uuidString }
            for _ in 0..<300 {
                let id = ids[random.below(ids.count)]
                guard var product = current[id] else { continue }
                switch random.below(4) {
                case 0:
                    product = Self.product(&random, id: id, created: created)
                    created += 1
                case 1:
                    product.price = Int64(random.below(5) * 100)
                    product.available = Int64(random.below(2))
                    product.sales = Int64(random.below(4))
                case 2:
                    corpus.remove(id)
                    current[id] = nil
                    continue
                default:
                    product = Self.product(&random, created: created)
                    created += 1
                }
                corpus.upsert(product)
                current[product.id] = product
            }
            if round == 3 {
                #expect(corpus.deadCount > 0)
                corpus.compact()
                #expect(corpus.deadCount == 0)
            }
            #expect(corpus.liveCount == current.count)
            try checkAgainstBruteForce(corpus, current, &random, &champions)
        }
        // Both ways of ending a champion ranking happened, so both were checked above.
        #expect(champions.answered > 50, "\(champions)")
        #expect(champions.declined > 50, "\(champions)")
    }

    struct ChampionOutcomes {
        var answered = 0
        var declined = 0
    }

    func checkAgainstBruteForce(
        _ corpus: ResidentCorpus, _ current: [UUID: IndexedProduct], _ random: inout Random, _ champions: inout ChampionOutcomes
    ) throws {
        let products = Array(current.values)
        let lexemeSets = products.map(Self.lexemes)
        for _ in 0..<150 {
            let query = Self.query(&random)
            let order = SearchOrder.allCases[random.below(SearchOrder.allCases.count)]
            let search = Self.search(&random, order: order)
            let expectedMatches = products.indices.filter { Self.satisfies(lexemeSets[$0], query) }.map { products[$0] }
            guard let matches = corpus.matches(query) else {
                // Only a NOT without a positive side is left to PostgreSQL.
                continue
            }
            let live = matches.documents.filter { corpus.alive[Int($0)] }.map { corpus.ids[Int($0)] }
            #expect(Set(live) == Set(expectedMatches.map(\.id)), "\(query)")
            #expect(matches.documents == matches.documents.sorted(), "\(query)")
            // Scores: BM25 summed over the query's tree, read posting by posting (exact: whole numbers).
            for (position, document) in matches.documents.enumerated().prefix(40) {
                #expect(matches.score(at: position) == Self.referenceScore(corpus, document, query), "\(query) \(document)")
            }

            // The page: every admitted match in the order's terms, checked against a full sort.
            let admission = corpus.admission(for: search)
            let admitted = matches.documents.enumerated().filter { corpus.admits(Int($0.element), admission) }
            let sorted = admitted.map { corpus.key($0.element, score: matches.score(at: $0.offset), order: order, hasText: true) }.sorted()
            let expectedPage = sorted.dropFirst(search.offset).prefix(search.limit).map { corpus.ids[Int($0.document)] }
            #expect(corpus.page(matches, search) == Array(expectedPage), "\(query) \(order)")
            // Ranked among the champions, when that proves the page, it is the same page.
            if let page = corpus.championPage(query, search) {
                #expect(order == .relevance)
                #expect(page == Array(expectedPage), "champions: \(query) \(search)")
                champions.answered += 1
            } else if order == .relevance {
                champions.declined += 1
            }
            #expect(Set(admitted.map { corpus.ids[Int($0.element)] }) == Set(expectedMatches.filter { Self.admitted($0, search) }.map(\.id)), "\(query) \(search)")

            let facets = corpus.facets(matches, search)
            #expect(facets.total == admitted.count && facets.exact, "\(query)")
            #expect(facets.categories.map(\.count).reduce(0, +) == admitted.filter { corpus.category[Int($0.element)] >= 0 }.count)
            #expect(facets.prices.map(\.count).reduce(0, +) == admitted.count)
        }
        // Browsing (no text): every admitted product, newest first.
        let search = Self.search(&random, order: .newest)
        let expected = products.filter { Self.admitted($0, search) }.count
        let page = corpus.page(nil, search)
        #expect(page.count == min(search.limit, max(0, expected - search.offset)))
        let created = page.map { current[$0]!.createdAt }
        #expect(created == created.sorted(by: >))
    }

    /// A matching document's score the slow way: each word's posting found by a linear search.
    static func referenceScore(_ corpus: ResidentCorpus, _ document: UInt32, _ query: LexemeQuery) -> Float? {
        switch query {
        case .term(let word):
            guard let list = corpus.lexemes[word], let position = corpus.postings[Int(list)].documents.firstIndex(of: document) else { return nil }
            return corpus.inverseFrequency(corpus.postings[Int(list)].documents.count) * corpus.postings[Int(list)].impacts[position]
        case .and(let children):
            var total: Float = 0
            for child in children {
                if case .not(let inner) = child {
                    if referenceScore(corpus, document, inner) != nil { return nil }
                } else {
                    guard let part = referenceScore(corpus, document, child) else { return nil }
                    total += part
                }
            }
            return total
        case .or(let children):
            let parts = ResidentCorpus.alternatives(children).compactMap { referenceScore(corpus, document, $0) }
            return parts.isEmpty ? nil : parts.reduce(0, +)
        case .not:
            return nil
        }
    }

    /// The filters and visibility, by brute force on the product itself.
    static func admitted(_ product: IndexedProduct, _ search: ProductSearch) -> Bool {
        let filters = search.filters
        if let categories = filters.categoryIDs, !categories.contains(where: { $0.uuid == product.categoryID }) { return false }
        if let seller = filters.sellerID, seller.rawValue != product.sellerID { return false }
        if let min = filters.minPrice, product.price < min { return false }
        if let max = filters.maxPrice, product.price > max { return false }
        if let currency = filters.currency, currency.code != product.currency { return false }
        if filters.inStockOnly, product.available <= 0 { return false }
        let isPublic = product.status == .published || (product.status == .scheduled && product.publishAt! <= search.now)
        switch search.visibility {
        case .all: return true
        case .publicOnly: return isPublic
        case .publicOrOwnedBy(let seller): return isPublic || seller.rawValue == product.sellerID
        }
    }

    @Test func selectFindsTheValueAtEachRankWithTies() {
        var random = Random(seed: 7)
        for _ in 0..<200 {
            let values = (0..<(2 + random.below(300))).map { _ in Float(random.below(random.below(3) == 0 ? 4 : 1000)) }
            let rank = 1 + random.below(values.count - 1)
            #expect(ResidentCorpus.select(rank, of: values, by: >) == values.sorted(by: >)[rank - 1], "\(rank) of \(values)")
            #expect(ResidentCorpus.select(rank, of: values, by: <) == values.sorted()[rank - 1], "\(rank) of \(values)")
        }
    }

    @Test func championsComeFirstByImpactThenIdAndTheEdgeHoldsAfterAdditions() {
        var corpus = ResidentCorpus()
        corpus.championCount = 4
        func add(_ vector: String, bulk: Bool) -> UUID {
            let id = UUID()
            corpus.upsert(IndexedProduct(
                id: id, sellerID: "s", title: "T", price: 1, currency: "RUB", categoryID: nil, status: .published, publishAt: nil,
                createdAt: Date(timeIntervalSince1970: 0), vector: vector, available: 0, sales: 0, views: 0), bulk: bulk)
            return id
        }
        // Two products with the word in the title; thirty tied on the same text (the seed's case).
        _ = add("'word':1A 'pad':2", bulk: true)
        _ = add("'word':1A,2A", bulk: true)
        for _ in 0..<30 { _ = add("'word':1 'pad':2", bulk: true) }
        corpus.finishBulkLoad()
        func check() {
            let list = corpus.postings[Int(corpus.lexemes["word"]!)]
            let champions = Set(list.champions)
            #expect(list.champions == list.champions.sorted())
            for (position, document) in list.documents.enumerated() {
                let impact = list.impacts[position], id = OrderedID(corpus.ids[Int(document)])
                let beforeEdge = impact > list.championEdge || (impact == list.championEdge && id <= list.championEdgeID)
                #expect(champions.contains(document) == beforeEdge, "posting \(position): impact \(impact), edge \(list.championEdge)")
            }
        }
        check()
        let list = corpus.postings[Int(corpus.lexemes["word"]!)]
        #expect(list.champions.count == 4)
        // The two title products, then the two lowest ids of the tied thirty.
        let tied = list.documents.dropFirst(2)
        let lowest = tied.sorted { OrderedID(corpus.ids[Int($0)]) < OrderedID(corpus.ids[Int($1)]) }.prefix(2)
        #expect(Set(list.champions) == Set([list.documents[0], list.documents[1]] + lowest))
        // Later products: one beating the edge joins at once; a tied one joins only with a low id.
        let strong = add("'word':1A,2A,3A", bulk: false)
        #expect(corpus.postings[Int(corpus.lexemes["word"]!)].champions.last == corpus.numbers[strong])
        for _ in 0..<10 { _ = add("'word':1 'pad':2", bulk: false) }
        check()
    }

    /// A catalog of a few templated texts (the seed's case, and many real ones): thousands of
    /// exact ties, where only the ids order the page. Champions must give the same page.
    @Test func championPagesMatchEveryMatchWhenScoresTie() {
        var random = Random(seed: 11)
        var corpus = ResidentCorpus()
        corpus.championCount = 6
        let templates = ["'a':1 'b':2", "'a':1A 'b':2", "'a':1 'b':2A", "'a':1 'b':2 'c':3", "'a':1A 'c':2", "'b':1 'c':2", "'a':1 'b':2,3"]
        for _ in 0..<400 {
            corpus.upsert(IndexedProduct(
                id: Self.uuid(&random), sellerID: "s", title: "T", price: 1, currency: "RUB", categoryID: nil, status: random.below(5) == 0 ? .draft : .published,
                publishAt: nil, createdAt: Date(timeIntervalSince1970: 0), vector: templates[random.below(templates.count)], available: 1, sales: 0,
                views: 0), bulk: true)
        }
        corpus.finishBulkLoad()
        let queries: [LexemeQuery] = [
            .term("a"), .term("b"), .and([.term("a"), .term("b")]), .and([.term("a"), .term("c")]), .or([.term("a"), .term("c")]),
            .or([.and([.term("a"), .term("b")]), .and([.term("a"), .term("c")])]), .and([.term("b"), .or([.term("a"), .term("c")])]),
        ]
        var answered = 0
        for query in queries {
            for limit in [1, 3, 5, 8, 12] {
                let search = ProductSearch(text: "", visibility: .publicOnly, now: Date(timeIntervalSince1970: 0), offset: 0, limit: limit)
                let everyMatch = corpus.page(corpus.matches(query)!, search)
                guard let champions = corpus.championPage(query, search) else { continue }
                #expect(champions == everyMatch, "\(query), first \(limit)")
                answered += 1
            }
        }
        #expect(answered >= 5, "champions answered \(answered) of \(queries.count * 5)")
    }

    /// An id from the seed's generator (the same on every run: ids order ties).
    static func uuid(_ random: inout Random) -> UUID {
        let high = random.next(), low = random.next()
        return withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { UUID(uuid: $0.load(as: uuid_t.self)) }
    }

    @Test func bitmapsFindEachPostingsPositionAndNothingElse() {
        var random = Random(seed: 5)
        for _ in 0..<50 {
            var documents: [UInt32] = []
            var next: UInt32 = 0
            for _ in 0..<random.below(400) {
                next += UInt32(1 + random.below(random.below(2) == 0 ? 3 : 200))
                documents.append(next)
            }
            var bitmap = PostingBitmap(Array(documents.prefix(documents.count / 2)))
            for document in documents.dropFirst(documents.count / 2) { bitmap.append(document) }  // grown at its end, as lists are
            let positions = Dictionary(uniqueKeysWithValues: documents.enumerated().map { ($1, $0) })
            for document in 0...(next + 130) { #expect(bitmap.position(of: document) == positions[document], "\(document)") }
            #expect(bitmap.count == documents.count)
        }
    }

    @Test func workCountsWhatAnOrReadsAndOnlyTheRarestWordOfAnAnd() {
        var corpus = ResidentCorpus()
        for index in 0..<100 {
            let vector = index < 10 ? "'common':1A 'rare':2" : "'common':1A"
            corpus.upsert(IndexedProduct(
                id: UUID(), sellerID: "s", title: "T", price: 1, currency: "RUB", categoryID: nil, status: .published, publishAt: nil,
                createdAt: Date(timeIntervalSince1970: 0), vector: vector, available: 0, sales: 0, views: 0), bulk: true)
        }
        #expect(corpus.work(.term("common")) == 100)
        #expect(corpus.work(.and([.term("common"), .term("rare")])) == 10)
        #expect(corpus.work(.or([.term("common"), .term("rare"), .term("absent")])) == 110)
        #expect(corpus.work(.and([.or([.term("common"), .term("rare")]), .not(.term("rare"))])) == 120)
        #expect(ResidentCorpus.workLimit >= 1_000_000, "one word in every product of a million must pass")
    }

    @Test func typeAheadWalksTitlesAndWordsInByteOrderAcrossRecentAdditions() {
        var corpus = ResidentCorpus()
        func add(_ title: String, status: ProductStatus = .published, bulk: Bool) -> UUID {
            let id = UUID()
            corpus.upsert(IndexedProduct(
                id: id, sellerID: "s", title: title, price: 1, currency: "RUB", categoryID: nil, status: status, publishAt: nil,
                createdAt: Date(timeIntervalSince1970: 0), vector: "'x':1A", available: 0, sales: 0, views: 0), bulk: bulk)
            return id
        }
        _ = add("Смартфон Альфа", bulk: true)
        _ = add("смартфон бета", bulk: true)
        _ = add("Смартфон Черновик", status: .draft, bulk: true)
        _ = add("Чайник", bulk: true)
        corpus.sortTitles()
        corpus.setVocabulary(["смартфон", "смарт", "чайник"])
        _ = add("Смартфон Альбатрос", bulk: false)  // a recent title, not merged yet
        #expect(corpus.recentTitles.count == 1)
        let titles = corpus.titles(startingWith: "смартфон а", limit: 5, now: 0).map(\.title)
        #expect(titles == ["Смартфон Альбатрос", "Смартфон Альфа"])
        #expect(corpus.titles(startingWith: "смартфон", limit: 5, now: 0).map(\.title) == ["Смартфон Альбатрос", "Смартфон Альфа", "смартфон бета"])
        #expect(corpus.titles(startingWith: "смартфон", limit: 1, now: 0).map(\.title) == ["Смартфон Альбатрос"])
        #expect(corpus.completions(of: "смарт", limit: 5) == ["смарт", "смартфон"])
        // The new title's words joined the vocabulary.
        #expect(corpus.completions(of: "альб", limit: 5) == ["альбатрос"])
        corpus.mergeTitles()
        #expect(corpus.recentTitles.isEmpty)
        #expect(corpus.titles(startingWith: "смартфон", limit: 5, now: 0).map(\.title) == ["Смартфон Альбатрос", "Смартфон Альфа", "смартфон бета"])
    }
}

extension SeedRandom {
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
