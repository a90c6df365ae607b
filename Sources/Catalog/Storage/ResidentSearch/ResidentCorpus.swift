import EmporiumCore
import Foundation

/// A product as the resident index reads it from PostgreSQL (`SearchChangeFeed`).
struct IndexedProduct: Sendable {
    var id: UUID
    var sellerID: String
    var title: String
    var price: Int64
    var currency: String
    var categoryID: UUID?
    var status: ProductStatus
    var publishAt: Date?
    var createdAt: Date
    /// `search_vector::text`: PostgreSQL's stems, kept verbatim so that an unchanged text is
    /// recognised and not indexed again.
    var vector: String
    var available: Int64
    var sales: Int64
    var views: Int64
    /// The row's version (every update bumps it): a cached copy of the product is current when
    /// its version is this one.
    var version: Int32 = 0
}

/// Every product's searchable facts, column by column, indexed by a document number; and a
/// posting list per lexeme. Pure data: the lock and the feed are ``ResidentSearchIndex``'s.
///
/// A product whose text changes gets a new number (the old one is marked dead), so posting
/// lists only ever grow at their end and stay sorted; facts that change without the text
/// (price, status, stock, counters) are written in place. Dead numbers are compacted away once
/// they are a quarter of the corpus.
struct ResidentCorpus: Sendable {
    struct PostingList: Sendable {
        var documents: [UInt32] = []
        /// Title occurrences in the high byte, description occurrences in the low one (each
        /// saturated at 255).
        var frequencies: [UInt16] = []
        /// BM25's term-frequency part per posting (everything but the idf), computed with the
        /// average length as of ``impactAverage``, so a query reads it instead of computing it.
        var impacts: [Float] = []
        /// The documents where this word weighs most, ascending (``chooseChampions(of:)``): first
        /// in (impact descending, id ascending) up to the edge. Every other posting's impact is
        /// below `championEdge`, or equal to it with an id after `championEdgeID`. A list that is
        /// all champions has an edge of 0.
        var champions: [UInt32] = []
        /// The list as a bitmap when the word is in at least one document of ``bitmapDensity``
        /// (``mapCommonLists()``); an AND looks its matches up here instead of galloping.
        var bitmap: PostingBitmap?
        var championEdge: Float = 0
        var championEdgeID = OrderedID(high: 0, low: 0)
    }

    enum Visibility: UInt8 { case draft, scheduled, published, archived }

    // Columns, by document number.
    var ids: [UUID] = []
    var alive: [Bool] = []
    var visibility: [Visibility] = []
    /// Seconds since 1970; +∞ when the product has no publication time.
    var publishAt: [Double] = []
    var createdAt: [Double] = []
    var price: [Int64] = []
    var currency: [UInt16] = []
    /// -1: no category.
    var category: [Int32] = []
    var seller: [Int32] = []
    var length: [Float] = []
    /// A digest of each document's `search_vector` text, to recognise an unchanged text.
    var digests: [Int] = []
    var available: [Bool] = []
    var sales: [Int64] = []
    var views: [Int64] = []
    var versions: [Int32] = []
    var titles: [String] = []
    /// Lowercased titles, for type-ahead.
    var titleKeys: [String] = []

    var numbers: [UUID: UInt32] = [:]
    var lexemes: [String: Int32] = [:]
    var postings: [PostingList] = []
    var currencies = Interned<String>()
    var categories = Interned<UUID>()
    var sellers = Interned<String>()

    private(set) var liveCount = 0
    private(set) var totalLength: Double = 0
    /// The average length the impacts were computed with; they are computed again when the
    /// corpus's average has moved by a tenth (and at every load and compaction).
    private(set) var impactAverage: Float = 1

    /// Document numbers in title order (`titleKeys`, compared as UTF-8 bytes like PostgreSQL's
    /// "C" collation), and the recently added ones, kept apart and merged in when they grow.
    var titleOrder: [UInt32] = []
    var recentTitles: [UInt32] = []
    /// The distinct words of all titles (PostgreSQL's `search_words`), in byte order.
    var vocabulary: [String] = []
    var vocabularySet: Set<String> = []

    static let recentTitlesLimit = 4096
    /// Champions kept per posting list: a thousand is many pages' worth of a word's best
    /// documents, and a fraction of a millisecond to score.
    var championCount = 1024

    var count: Int { ids.count }
    var deadCount: Int { ids.count - liveCount }
    var averageLength: Float { liveCount == 0 ? 1 : max(1, Float(totalLength / Double(liveCount))) }

    // MARK: Writing

    /// Adds or replaces `product` (by id). In `bulk` (a first load) the title order and the
    /// vocabulary are left to ``sortTitles()`` and ``setVocabulary(_:)``.
    mutating func upsert(_ product: IndexedProduct, bulk: Bool = false) {
        if let number = numbers[product.id], alive[Int(number)] {
            let index = Int(number)
            if digests[index] == Self.digest(product.vector), titles[index] == product.title {
                writeFacts(product, at: index)
                return
            }
            kill(index)
        }
        guard let occurrences = LexemeText.vector(product.vector) else {
            numbers[product.id] = nil
            return
        }
        let number = UInt32(ids.count)
        ids.append(product.id)
        alive.append(true)
        visibility.append(.draft)
        publishAt.append(.infinity)
        createdAt.append(0)
        price.append(0)
        currency.append(0)
        category.append(-1)
        seller.append(0)
        digests.append(Self.digest(product.vector))
        available.append(false)
        sales.append(0)
        views.append(0)
        versions.append(0)
        titles.append(product.title)
        titleKeys.append(product.title.lowercased())
        writeFacts(product, at: Int(number))
        var total = 0
        for occurrence in occurrences { total += occurrence.title + occurrence.description }
        length.append(Float(max(total, 1)))
        for occurrence in occurrences {
            let list: Int
            if let known = lexemes[occurrence.lexeme] { list = Int(known) } else {
                list = postings.count
                lexemes[occurrence.lexeme] = Int32(list)
                postings.append(PostingList())
            }
            postings[list].documents.append(number)
            postings[list].bitmap?.append(number)
            let frequency = UInt16(min(occurrence.title, 255)) << 8 | UInt16(min(occurrence.description, 255))
            postings[list].frequencies.append(frequency)
            let impact = bulk ? 0 : Self.impact(frequency, length: length[Int(number)], average: impactAverage)
            postings[list].impacts.append(impact)
            if !bulk { admitChampion(number, impact: impact, list: list) }
        }
        numbers[product.id] = number
        liveCount += 1
        totalLength += Double(max(total, 1))
        guard !bulk else { return }
        insertRecentTitle(number)
        learnWords(of: titleKeys[Int(number)])
    }

    /// Forgets `id` (a product that no longer exists).
    mutating func remove(_ id: UUID) {
        guard let number = numbers.removeValue(forKey: id), alive[Int(number)] else { return }
        kill(Int(number))
    }

    private mutating func writeFacts(_ product: IndexedProduct, at index: Int) {
        visibility[index] = Visibility(product.status)
        publishAt[index] = product.publishAt?.timeIntervalSince1970 ?? .infinity
        createdAt[index] = product.createdAt.timeIntervalSince1970
        price[index] = product.price
        currency[index] = UInt16(truncatingIfNeeded: currencies.number(of: product.currency))
        category[index] = product.categoryID.map { categories.number(of: $0) } ?? -1
        seller[index] = sellers.number(of: product.sellerID)
        available[index] = product.available > 0
        sales[index] = max(product.sales, 0)
        views[index] = max(product.views, 0)
        versions[index] = product.version
    }

    /// Writes a product's counters and availability in place; a product not held is left to the
    /// entry that adds it (which reads them too).
    mutating func writeCounters(_ facts: SearchChangeFeed.Facts) {
        guard let number = numbers[facts.product], alive[Int(number)] else { return }
        let index = Int(number)
        available[index] = facts.available > 0
        sales[index] = max(facts.sales, 0)
        views[index] = max(facts.views, 0)
    }

    /// The version of `id`'s row as last read; nil when it is not held.
    func version(of id: UUID) -> Int32? {
        guard let number = numbers[id], alive[Int(number)] else { return nil }
        return versions[Int(number)]
    }

    /// BM25's saturation and length normalisation, the usual values.
    static let k1: Float = 1.2
    static let b: Float = 0.75
    /// A title occurrence counts this many description ones (PostgreSQL's `ts_rank` weighs A
    /// against B as 1 to 0.4).
    static let titleWeight: Float = 2.5

    /// Scores are whole numbers: impacts in 512ths (at most 1,127) and idfs in 128ths (at most
    /// about 2,000), so a product is below 2²¹ and a sum of a few of them is exact in `Float`
    /// whatever the order of the additions. Rankings over every match and over the champions
    /// then agree to the last bit, ties included (``championPage(_:_:)`` relies on it).
    static let impactScale: Float = 512
    static let inverseFrequencyScale: Float = 128

    static func impact(_ frequency: UInt16, length: Float, average: Float) -> Float {
        let weighted = Float(frequency >> 8) * titleWeight + Float(frequency & 0xFF)
        let exact = weighted * (k1 + 1) / (weighted + k1 * (1 - b + b * length / average))
        return max(1, (exact * impactScale).rounded())
    }

    /// Computes every posting's impact again with the current average length.
    mutating func recomputeImpacts() {
        let average = averageLength
        impactAverage = average
        for list in postings.indices {
            let documents = postings[list].documents, frequencies = postings[list].frequencies
            var impacts = [Float](repeating: 0, count: documents.count)
            for position in documents.indices {
                impacts[position] = Self.impact(frequencies[position], length: length[Int(documents[position])], average: average)
            }
            postings[list].impacts = impacts
            chooseChampions(of: list)
        }
    }

    /// Whether the average length has moved enough since the impacts were computed to matter.
    var impactsAreStale: Bool { abs(averageLength - impactAverage) > impactAverage / 10 }

    /// Stable within the process (a collision would only leave one edit unindexed until the
    /// next: 2⁻⁶⁴).
    static func digest(_ vector: String) -> Int {
        var hasher = Hasher()
        hasher.combine(vector)
        return hasher.finalize()
    }

    private mutating func kill(_ index: Int) {
        alive[index] = false
        liveCount -= 1
        totalLength -= Double(length[index])
    }

    // MARK: Type-ahead structures

    private mutating func insertRecentTitle(_ number: UInt32) {
        let key = titleKeys[Int(number)]
        let at = Self.lowerBound(recentTitles, key) { titleKeys[Int($0)] }
        recentTitles.insert(number, at: at)
        if recentTitles.count >= Self.recentTitlesLimit { mergeTitles() }
    }

    /// Folds the recent titles into the main order (one merge pass), dropping dead numbers.
    mutating func mergeTitles() {
        var merged: [UInt32] = []
        merged.reserveCapacity(titleOrder.count + recentTitles.count)
        var left = 0, right = 0
        while left < titleOrder.count || right < recentTitles.count {
            let takeLeft: Bool
            if left == titleOrder.count { takeLeft = false } else if right == recentTitles.count { takeLeft = true } else {
                takeLeft = !Self.precedes(titleKeys[Int(recentTitles[right])], titleKeys[Int(titleOrder[left])])
            }
            let number = takeLeft ? titleOrder[left] : recentTitles[right]
            if takeLeft { left += 1 } else { right += 1 }
            if alive[Int(number)] { merged.append(number) }
        }
        titleOrder = merged
        recentTitles = []
    }

    /// Adds a title's words (as `search_words` does: lowercased, split at what is not a letter or
    /// digit, three characters or more) to the vocabulary.
    private mutating func learnWords(of key: String) {
        for word in key.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) where word.count >= 3 {
            let word = String(word)
            guard vocabularySet.insert(word).inserted else { continue }
            vocabulary.insert(word, at: Self.lowerBound(vocabulary, word) { $0 })
        }
    }

    /// Replaces the vocabulary (PostgreSQL's `search_words`, read whole at the start).
    mutating func setVocabulary(_ words: [String]) {
        vocabularySet = Set(words)
        vocabulary = vocabularySet.sorted(by: Self.precedes)
    }

    /// After a bulk load: the title order, the impacts and the bitmaps.
    mutating func finishBulkLoad() {
        sortTitles()
        recomputeImpacts()
        mapCommonLists()
    }

    /// A list gets a bitmap when it holds at least one document in this many: at a million
    /// documents that is 62,500 postings or more, in 190 KB (under a third of the list itself).
    static let bitmapDensity = 16

    /// Gives every common list its bitmap (after a load or a compaction renumbered documents);
    /// a list that grows common later gets one at the next.
    mutating func mapCommonLists() {
        for list in postings.indices {
            let documents = postings[list].documents
            postings[list].bitmap = documents.count * Self.bitmapDensity >= ids.count ? PostingBitmap(documents) : nil
        }
    }

    /// Sorts the whole title order again (after a bulk load).
    mutating func sortTitles() {
        let keys = titleKeys
        titleOrder = (0..<UInt32(ids.count)).filter { alive[Int($0)] }.sorted { Self.precedes(keys[Int($0)], keys[Int($1)]) }
        recentTitles = []
    }

    /// Byte order, as PostgreSQL's "C" collation: `memcmp` over the UTF-8 (the generic
    /// `utf8.lexicographicallyPrecedes` made sorting a million titles take minutes).
    static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { left in
            b.withUTF8 { right in
                let common = min(left.count, right.count)
                let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
        }
    }

    /// Whether `text` starts with `prefix`, bytewise.
    static func hasBytePrefix(_ text: String, _ prefix: String) -> Bool {
        var text = text, prefix = prefix
        return text.withUTF8 { whole in
            prefix.withUTF8 { start in
                start.count <= whole.count && (start.isEmpty || memcmp(whole.baseAddress!, start.baseAddress!, start.count) == 0)
            }
        }
    }

    /// The first position in `sorted` whose key is not before `key`.
    static func lowerBound<Element>(_ sorted: [Element], _ key: String, keyOf: (Element) -> String) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if precedes(keyOf(sorted[middle]), key) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension ResidentCorpus.Visibility {
    init(_ status: ProductStatus) {
        switch status {
        case .draft: self = .draft
        case .scheduled: self = .scheduled
        case .published: self = .published
        case .archived: self = .archived
        }
    }
}
