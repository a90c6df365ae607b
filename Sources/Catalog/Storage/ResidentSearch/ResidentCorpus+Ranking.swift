import EmporiumCore
import Foundation

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
