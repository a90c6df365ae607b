import EmporiumCore
import Foundation

extension ResidentCorpus {
    /// Documents in ascending order, each with its relevance (BM25 over the matched lexemes).
    struct Matches {
        var documents: [UInt32] = []
        var scores: [Float] = []
        /// Every score times this: one posting list's impacts and its idf, shared, not copied.
        var scale: Float = 1

        func score(at position: Int) -> Float { scores[position] * scale }
    }

    /// The documents `query` matches; nil for a shape left to PostgreSQL (a NOT that is not one
    /// side of an AND). Dead documents are included: the filters drop them.
    func matches(_ query: LexemeQuery) -> Matches? {
        switch query {
        case .term(let lexeme):
            return scored(lexeme)
        case .not:
            return nil
        case .or(let children):
            var result = Matches()
            for child in Self.alternatives(children) {
                guard let found = matches(child) else { return nil }
                result = Self.union(result, found)
            }
            return result
        case .and(let children):
            var terms: [Int] = []
            var groups: [Matches] = []
            // Alternatives of common words (a word's readings): looked up per match in their
            // bitmaps rather than merged into a list of every document that has any of them.
            var lookups: [[Int]] = []
            var excluded: [LexemeQuery] = []
            for child in children {
                switch child {
                case .term(let lexeme):
                    guard let list = lexemes[lexeme] else { return Matches() }  // a word no document has
                    terms.append(Int(list))
                case .not(let inner):
                    excluded.append(inner)
                case .or(let alternatives):
                    if let lists = mappedLists(alternatives) {
                        lookups.append(lists)
                    } else {
                        guard let found = matches(child) else { return nil }
                        groups.append(found)
                    }
                case .and:
                    guard let found = matches(child) else { return nil }
                    groups.append(found)
                }
            }
            if terms.isEmpty, groups.isEmpty, !lookups.isEmpty {
                // Nothing else to start from: the alternatives with the fewest postings are merged.
                let cheapest = lookups.indices.min { lookups[$0].reduce(0) { $0 + postings[$1].documents.count } < lookups[$1].reduce(0) { $0 + postings[$1].documents.count } } ?? 0
                groups.append(lookups.remove(at: cheapest).reduce(Matches()) { Self.union($0, scored(list: $1)) })
            }
            guard !terms.isEmpty || !groups.isEmpty else { return nil }  // only NOTs: PostgreSQL's
            terms.sort { postings[$0].documents.count < postings[$1].documents.count }
            groups.sort { $0.documents.count < $1.documents.count }
            var result: Matches
            if let smallest = groups.first, terms.first.map({ postings[$0].documents.count >= smallest.documents.count }) ?? true {
                result = groups.removeFirst()
            } else {
                result = scored(list: terms.removeFirst())
            }
            for group in groups { result = Self.intersection(result, group) }
            for list in terms { result = intersection(result, list: list) }
            for lists in lookups { result = intersection(result, anyOf: lists) }
            for inner in excluded {
                guard let found = matches(inner) else { return nil }
                result = Self.difference(result, found.documents)
            }
            return result
        }
    }

    /// Postings `matches(_:)` would walk for `query`, about: an OR reads all of each operand, an AND
    /// its materialised operands in full and its plain words only from the rarest (the others are
    /// galloped through). What a search may cost is checked against this before it runs.
    func work(_ query: LexemeQuery) -> Int {
        func length(_ lexeme: String) -> Int { lexemes[lexeme].map { postings[Int($0)].documents.count } ?? 0 }
        switch query {
        case .term(let lexeme): return length(lexeme)
        case .not(let inner): return work(inner)
        case .or(let children): return children.reduce(0) { $0 &+ work($1) }
        case .and(let children):
            var words: [Int] = []
            var rest = 0
            for child in children {
                if case .term(let lexeme) = child { words.append(length(lexeme)) } else { rest &+= work(child) }
            }
            return rest &+ (words.min() ?? 0)
        }
    }

    /// The most postings one search may walk: about 150 ms of one core. A single word in every
    /// product is a million; what passes this is a buyer's query, what does not is a list of
    /// common words joined by `or` (measured: 20 of them, 316 ms).
    static let workLimit = 4_000_000

    /// OR's operands, nested ORs flattened and repeats dropped (`ru || en` repeats every word that
    /// both configurations leave as it is).
    static func alternatives(_ children: [LexemeQuery]) -> [LexemeQuery] {
        var flat: [LexemeQuery] = []
        func add(_ query: LexemeQuery) {
            if case .or(let inner) = query { inner.forEach(add) } else if !flat.contains(query) { flat.append(query) }
        }
        children.forEach(add)
        return flat
    }

    private func scored(_ lexeme: String) -> Matches {
        guard let list = lexemes[lexeme] else { return Matches() }
        return scored(list: Int(list))
    }

    private func scored(list: Int) -> Matches {
        let posting = postings[list]
        return Matches(documents: posting.documents, scores: posting.impacts, scale: inverseFrequency(posting.documents.count))
    }

    /// BM25's idf in whole 128ths (see ``impactScale``); negative while dead postings make a list
    /// longer than the live corpus.
    func inverseFrequency(_ frequency: Int) -> Float {
        let total = Float(max(liveCount, 1)), found = Float(frequency)
        return (log(1 + (total - found + 0.5) / (found + 0.5)) * Self.inverseFrequencyScale).rounded()
    }

    /// `matches` ∩ the posting list, galloping through the list (the smaller side leads).
    private func intersection(_ matches: Matches, list: Int) -> Matches {
        let posting = postings[list]
        let idf = inverseFrequency(posting.documents.count)
        var result = Matches()
        if let bitmap = posting.bitmap {
            for (index, document) in matches.documents.enumerated() {
                guard let position = bitmap.position(of: document) else { continue }
                result.documents.append(document)
                result.scores.append(matches.score(at: index) + idf * posting.impacts[position])
            }
            return result
        }
        var position = 0
        for (index, document) in matches.documents.enumerated() {
            position = Self.gallop(posting.documents, from: position, to: document)
            guard position < posting.documents.count else { break }
            if posting.documents[position] == document {
                result.documents.append(document)
                result.scores.append(matches.score(at: index) + idf * posting.impacts[position])
            }
        }
        return result
    }

    /// The lists of an OR of plain words when every word that has a list has a bitmap too (words
    /// no document has are left out); nil for any other OR.
    private func mappedLists(_ alternatives: [LexemeQuery]) -> [Int]? {
        var lists: [Int] = []
        for alternative in Self.alternatives(alternatives) {
            guard case .term(let lexeme) = alternative else { return nil }
            guard let list = lexemes[lexeme] else { continue }
            guard postings[Int(list)].bitmap != nil else { return nil }
            lists.append(Int(list))
        }
        return lists
    }

    /// `matches` that have at least one of the words of `lists` (all mapped), each with the sum
    /// of the words it has added: what an intersection with their union gives, without the union.
    private func intersection(_ matches: Matches, anyOf lists: [Int]) -> Matches {
        let bitmaps = lists.compactMap { postings[$0].bitmap }
        let impacts = lists.map { postings[$0].impacts }
        let idfs = lists.map { inverseFrequency(postings[$0].documents.count) }
        var result = Matches()
        for (index, document) in matches.documents.enumerated() {
            var total: Float = 0, found = false
            for word in bitmaps.indices {
                guard let position = bitmaps[word].position(of: document) else { continue }
                total += idfs[word] * impacts[word][position]
                found = true
            }
            guard found else { continue }
            result.documents.append(document)
            result.scores.append(matches.score(at: index) + total)
        }
        return result
    }

    /// The first position at or after `start` whose document is not below `target`.
    static func gallop(_ documents: [UInt32], from start: Int, to target: UInt32) -> Int {
        var low = start, step = 1
        var high = start
        while high < documents.count, documents[high] < target {
            low = high + 1
            high += step
            step *= 2
        }
        high = min(high, documents.count)
        while low < high {
            let middle = (low + high) / 2
            if documents[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }

    static func intersection(_ left: Matches, _ right: Matches) -> Matches {
        var result = Matches()
        var i = 0, j = 0
        while i < left.documents.count, j < right.documents.count {
            let a = left.documents[i], b = right.documents[j]
            if a == b {
                result.documents.append(a)
                result.scores.append(left.score(at: i) + right.score(at: j))
                i += 1
                j += 1
            } else if a < b { i = gallop(left.documents, from: i, to: b) } else { j = gallop(right.documents, from: j, to: a) }
        }
        return result
    }

    static func union(_ left: Matches, _ right: Matches) -> Matches {
        if left.documents.isEmpty { return right }
        if right.documents.isEmpty { return left }
        var result = Matches()
        result.documents.reserveCapacity(max(left.documents.count, right.documents.count))
        result.scores.reserveCapacity(max(left.documents.count, right.documents.count))
        var i = 0, j = 0
        while i < left.documents.count || j < right.documents.count {
            if j == right.documents.count || (i < left.documents.count && left.documents[i] < right.documents[j]) {
                result.documents.append(left.documents[i])
                result.scores.append(left.score(at: i))
                i += 1
            } else if i == left.documents.count || right.documents[j] < left.documents[i] {
                result.documents.append(right.documents[j])
                result.scores.append(right.score(at: j))
                j += 1
            } else {
                result.documents.append(left.documents[i])
                result.scores.append(left.score(at: i) + right.score(at: j))
                i += 1
                j += 1
            }
        }
        return result
    }

    static func difference(_ matches: Matches, _ excluded: [UInt32]) -> Matches {
        var result = Matches(scale: matches.scale)
        var position = 0
        for (index, document) in matches.documents.enumerated() {
            position = gallop(excluded, from: position, to: document)
            if position < excluded.count, excluded[position] == document { continue }
            result.documents.append(document)
            result.scores.append(matches.scores[index])
        }
        return result
    }
}

// MARK: Filters

extension ResidentCorpus {
    /// A search's filters and visibility resolved to column values, checked per document.
    struct Admission {
        var visibility: ProductVisibility
        var owner: Int32?
        var now: Double
        var categories: [Bool]?
        /// Nil: any seller. A seller the corpus has never seen admits nothing.
        var seller: Int32??
        var minPrice: Int64?
        var maxPrice: Int64?
        var currency: UInt16??
        var inStockOnly: Bool

        /// Whether nothing can pass (a seller, currency or categories the corpus does not have).
        var admitsNothing: Bool {
            if case .some(.none) = seller { return true }
            if case .some(.none) = currency { return true }
            if let categories, !categories.contains(true) { return true }
            return false
        }
    }

    func admission(for search: ProductSearch) -> Admission {
        let filters = search.filters
        var owner: Int32?
        if case .publicOrOwnedBy(let seller) = search.visibility { owner = sellers.existingNumber(of: seller.rawValue) }
        var categoryMask: [Bool]?
        if let ids = filters.categoryIDs {
            var mask = [Bool](repeating: false, count: categories.values.count)
            for id in ids { if let number = categories.existingNumber(of: id.uuid) { mask[Int(number)] = true } }
            categoryMask = mask
        }
        return Admission(
            visibility: search.visibility, owner: owner, now: search.now.timeIntervalSince1970, categories: categoryMask,
            seller: filters.sellerID.map { sellers.existingNumber(of: $0.rawValue) },
            minPrice: filters.minPrice, maxPrice: filters.maxPrice,
            currency: filters.currency.map { currencies.existingNumber(of: $0.code).map { UInt16(truncatingIfNeeded: $0) } },
            inStockOnly: filters.inStockOnly)
    }

    func admits(_ document: Int, _ admission: Admission) -> Bool {
        guard alive[document] else { return false }
        if let seller = admission.seller, seller != self.seller[document] { return false }
        if let currency = admission.currency, currency != self.currency[document] { return false }
        if let min = admission.minPrice, price[document] < min { return false }
        if let max = admission.maxPrice, price[document] > max { return false }
        if admission.inStockOnly, !available[document] { return false }
        if let mask = admission.categories {
            let category = Int(self.category[document])
            guard category >= 0, category < mask.count, mask[category] else { return false }
        }
        switch admission.visibility {
        case .all: return true
        case .publicOnly: return isPublic(document, now: admission.now)
        case .publicOrOwnedBy: return isPublic(document, now: admission.now) || (admission.owner.map { $0 == seller[document] } ?? false)
        }
    }

    func isPublic(_ document: Int, now: Double) -> Bool {
        switch visibility[document] {
        case .published: true
        case .scheduled: publishAt[document] <= now
        case .draft, .archived: false
        }
    }
}

// MARK: Ranking

extension ResidentCorpus {
    /// A sort key: every order as ascending (primary, secondary, tertiary, id).
    struct RankKey: Comparable {
        var primary: Double
        var secondary: Int64
        var tertiary: Int64
        var high: UInt64
        var low: UInt64
        var document: UInt32

        static func < (a: RankKey, b: RankKey) -> Bool {
            if a.primary != b.primary { return a.primary < b.primary }
            if a.secondary != b.secondary { return a.secondary < b.secondary }
            if a.tertiary != b.tertiary { return a.tertiary < b.tertiary }
            if a.high != b.high { return a.high < b.high }
            return a.low < b.low
        }

        static func == (a: RankKey, b: RankKey) -> Bool { !(a < b) && !(b < a) }

        /// `self` comes strictly before `other` on the order's fields alone (the id not read).
        func precedesIgnoringID(_ other: RankKey) -> Bool {
            if primary != other.primary { return primary < other.primary }
            if secondary != other.secondary { return secondary < other.secondary }
            return tertiary < other.tertiary
        }
    }

    func key(_ document: UInt32, score: Float, order: SearchOrder, hasText: Bool) -> RankKey {
        withID(partialKey(document, score: score, order: order, hasText: hasText), order: order, hasText: hasText)
    }

    /// The key without its id (which costs a read of the id column, cold for most matches).
    fileprivate func partialKey(_ document: UInt32, score: Float, order: SearchOrder, hasText: Bool) -> RankKey {
        let index = Int(document)
        switch order {
        case .relevance where hasText:
            return RankKey(primary: -Double(score), secondary: 0, tertiary: 0, high: 0, low: 0, document: document)
        case .relevance, .newest:
            return RankKey(primary: -createdAt[index], secondary: 0, tertiary: 0, high: 0, low: 0, document: document)
        case .priceAscending:
            return RankKey(primary: 0, secondary: price[index], tertiary: 0, high: 0, low: 0, document: document)
        case .priceDescending:
            return RankKey(primary: 0, secondary: 0 &- price[index], tertiary: 0, high: 0, low: 0, document: document)
        case .popularity:
            return RankKey(primary: 0, secondary: 0 &- sales[index], tertiary: 0 &- views[index], high: 0, low: 0, document: document)
        }
    }

    fileprivate func withID(_ partial: RankKey, order: SearchOrder, hasText: Bool) -> RankKey {
        var key = partial
        let id = OrderedID(ids[Int(partial.document)])
        let high = id.high, low = id.low
        // Newest first breaks ties by the id descending (PostgreSQL's `created_at DESC, id DESC`).
        let descending = order == .newest || (order == .relevance && !hasText)
        key.high = descending ? ~high : high
        key.low = descending ? ~low : low
        return key
    }

    /// The page `offset ..< offset + limit` of the admitted documents in `matches` (every document
    /// when nil) in the search's order.
    func page(_ matches: Matches?, _ search: ProductSearch) -> [UUID] {
        guard var ranking = Ranking(self, search, hasText: matches != nil) else { return [] }
        if let matches, search.order == .relevance {
            ranking.considerByScore(matches, in: self)
        } else if let matches {
            for (position, document) in matches.documents.enumerated() { ranking.consider(document, score: matches.score(at: position), in: self) }
        } else {
            for document in 0..<UInt32(count) { ranking.consider(document, score: 0, in: self) }
        }
        return ranking.page(in: self)
    }

    /// A page being ranked: a bounded heap of `offset + limit` keys, never a sort of every match.
    /// A document whose order fields already lose to the heap's worst is dropped before its
    /// filters and id are read: on a broad query most are.
    struct Ranking {
        let admission: Admission
        let order: SearchOrder
        let hasText: Bool
        let offset: Int
        private var heap: TopKeys

        /// Nil when the page is empty whatever matches (nothing admitted, no room, an overflowing end).
        init?(_ corpus: ResidentCorpus, _ search: ProductSearch, hasText: Bool) {
            admission = corpus.admission(for: search)
            let wanted = search.offset.addingReportingOverflow(search.limit)
            guard !admission.admitsNothing, search.limit > 0, search.offset >= 0, !wanted.overflow else { return nil }
            order = search.order
            self.hasText = hasText
            offset = search.offset
            heap = TopKeys(capacity: wanted.partialValue)
        }

        mutating func consider(_ document: UInt32, score: Float, in corpus: ResidentCorpus) {
            let partial = corpus.partialKey(document, score: score, order: order, hasText: hasText)
            if let worst = heap.worst, worst.precedesIgnoringID(partial) { return }
            guard corpus.admits(Int(document), admission) else { return }
            heap.offer(corpus.withID(partial, order: order, hasText: hasText))
        }

        /// Every match of a text search in relevance order: a score below the page's last is
        /// dropped on one comparison, a tie goes to the id, and only a match that would enter the
        /// page has its filters read (most of a broad query's matches are none of these).
        mutating func considerByScore(_ matches: Matches, in corpus: ResidentCorpus) {
            var floor = -Float.infinity
            let scale = matches.scale
            matches.documents.withUnsafeBufferPointer { documents in
                matches.scores.withUnsafeBufferPointer { scores in
                    for position in 0..<documents.count {
                        let score = scores[position] * scale
                        if score < floor { continue }
                        let document = documents[position]
                        let key = corpus.key(document, score: score, order: .relevance, hasText: true)
                        if let worst = heap.worst, !(key < worst) { continue }
                        guard corpus.admits(Int(document), admission) else { continue }
                        heap.offer(key)
                        if let worst = heap.worst { floor = Float(-worst.primary) }
                    }
                }
            }
        }

        /// The page's last place once the page is full (relevance order only): its score and id.
        var last: (score: Double, id: OrderedID)? { heap.worst.map { (-$0.primary, OrderedID(high: $0.high, low: $0.low)) } }

        func page(in corpus: ResidentCorpus) -> [UUID] {
            let sorted = heap.sorted()
            guard offset < sorted.count else { return [] }
            return sorted[offset...].map { corpus.ids[Int($0.document)] }
        }
    }

    // MARK: Facets

    /// Counts over the first ``SearchFacets/countLimit`` admitted documents of `matches` (every
    /// document when nil), in document order.
    func facets(_ matches: Matches?, _ search: ProductSearch) -> SearchFacets {
        let admission = admission(for: search)
        guard !admission.admitsNothing else { return .empty }
        struct Band: Hashable { let currency: UInt16; let lower: Int64 }
        var total = 0
        var perCategory: [Int32: Int] = [:]
        var perBand: [Band: Int] = [:]
        func tally(_ document: Int) -> Bool {
            guard admits(document, admission) else { return true }
            total += 1
            if category[document] >= 0 { perCategory[category[document], default: 0] += 1 }
            perBand[Band(currency: currency[document], lower: PriceBand.lowerEdge(of: price[document])), default: 0] += 1
            return total < SearchFacets.countLimit
        }
        if let matches {
            for document in matches.documents where !tally(Int(document)) { break }
        } else {
            for document in 0..<count where !tally(document) { break }
        }
        let categoryCounts = perCategory.map { SearchFacets.CategoryCount(categoryID: CategoryID(uuid: categories.values[Int($0.key)]), count: $0.value) }
            .sorted { ($0.count, $1.categoryID.uuid.uuidString) > ($1.count, $0.categoryID.uuid.uuidString) }
        let bands = perBand.compactMap { band, count -> SearchFacets.PriceBandCount? in
            guard let code = try? Currency(code: currencies.values[Int(band.currency)]) else { return nil }
            return .init(band: PriceBand(currency: code, lower: band.lower, upper: PriceBand.upperEdge(after: band.lower)), count: count)
        }
        return SearchFacets(
            total: total, exact: total < SearchFacets.countLimit, categories: Array(categoryCounts.prefix(20)), prices: bands.sorted { $0.band < $1.band })
    }
}

/// The `capacity` smallest keys offered, in a max-heap (the root is the one to drop next).
struct TopKeys {
    private(set) var keys: [ResidentCorpus.RankKey] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        keys.reserveCapacity(min(capacity, 1024))
    }

    mutating func offer(_ key: ResidentCorpus.RankKey) {
        if keys.count < capacity {
            keys.append(key)
            var child = keys.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard keys[parent] < keys[child] else { break }
                keys.swapAt(parent, child)
                child = parent
            }
        } else if let root = keys.first, key < root {
            keys[0] = key
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var largest = parent
                if left < keys.count, keys[largest] < keys[left] { largest = left }
                if right < keys.count, keys[largest] < keys[right] { largest = right }
                guard largest != parent else { break }
                keys.swapAt(parent, largest)
                parent = largest
            }
        }
    }

    func sorted() -> [ResidentCorpus.RankKey] { keys.sorted() }

    /// The key to drop next, once the heap is full.
    var worst: ResidentCorpus.RankKey? { keys.count == capacity ? keys.first : nil }
}
