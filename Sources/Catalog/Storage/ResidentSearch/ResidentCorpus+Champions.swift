import EmporiumCore
import Foundation

// Champion lists (Manning, Raghavan and Schütze, "Introduction to Information Retrieval", §7.2.3):
// each long posting list also keeps the documents where its word weighs most. A relevance-ordered
// page is first ranked among the champions of the query's words only; it is the answer when the
// page is full and its last score beats anything a document outside every champion list could
// score (the sum, over the query's words, of the best impact left outside the champions). A
// common word's list is hundreds of thousands of postings; its champions are a thousand. When the
// bound does not hold, the caller ranks every match as before: the answer is the same either way.
extension ResidentCorpus {
    /// Above this many candidates the champions are not tried (a query of very many words).
    static let championCandidateLimit = 32_768
    /// Deeper pages than this are ranked over every match.
    static let championPageLimit = 1_000

    /// Chooses `list`'s champions from its impacts: the `championCount` highest, and the highest
    /// impact left outside them as the list's bound.
    mutating func chooseChampions(of list: Int) {
        let impacts = postings[list].impacts
        guard impacts.count > championCount else {
            postings[list].champions = postings[list].documents
            postings[list].championBound = 0
            return
        }
        let edge = Self.largest(championCount, of: impacts)
        var inclusive: [UInt32] = [], exclusive: [UInt32] = []
        var belowEdge: Float = 0, atEdge: Float = 0
        for (position, impact) in impacts.enumerated() {
            if impact >= edge { inclusive.append(postings[list].documents[position]) } else { belowEdge = max(belowEdge, impact) }
            if impact > edge { exclusive.append(postings[list].documents[position]) } else { atEdge = max(atEdge, impact) }
        }
        // Many postings tied at the edge: keep those strictly above it, and the edge as the bound.
        let tied = inclusive.count > 4 * championCount
        postings[list].champions = tied ? exclusive : inclusive
        postings[list].championBound = tied ? atEdge : belowEdge
    }

    /// The `rank`-th largest of `values` (quickselect on a copy; `values.count > rank > 0`).
    static func largest(_ rank: Int, of values: [Float]) -> Float {
        var values = values
        var low = 0, high = values.count - 1
        let target = rank - 1  // position in descending order
        while low < high {
            let pivot = values[(low + high) / 2]
            var left = low, right = high
            while left <= right {
                while values[left] > pivot { left += 1 }
                while values[right] < pivot { right -= 1 }
                if left <= right {
                    values.swapAt(left, right)
                    left += 1
                    right -= 1
                }
            }
            if target <= right { high = right } else if target >= left { low = left } else { break }
        }
        return values[target]
    }

    /// A new posting's place among the champions: added when it beats the list's bound, so that
    /// the bound stays true without choosing again.
    mutating func admitChampion(_ document: UInt32, impact: Float, list: Int) {
        if impact > postings[list].championBound { postings[list].champions.append(document) }
    }

    /// The page of a relevance-ordered text search ranked among the champions alone; nil when it
    /// cannot be proved that way (another order, a deep page, too many candidates, a bound not
    /// beaten) or when `matches(_:)` would leave the query to PostgreSQL.
    func championPage(_ query: LexemeQuery, _ search: ProductSearch) -> [UUID]? {
        guard search.order == .relevance, search.offset.addingReportingOverflow(search.limit).partialValue <= Self.championPageLimit,
            search.offset >= 0
        else { return nil }
        var plan = ChampionPlan()
        guard let root = plan.compile(query, self) else { return nil }
        guard var ranking = Ranking(self, search, hasText: true) else { return [] }
        // A word in more documents than are alive (dead ones not yet compacted) has a negative idf,
        // and then the bound below is no bound.
        guard plan.leaves.allSatisfy({ $0.inverseFrequency > 0 }), let candidates = plan.candidates(self) else { return nil }
        var cursors = [Int](repeating: 0, count: plan.leaves.count)
        for document in candidates {
            if let score = plan.score(root, document, &cursors) { ranking.consider(document, score: score, in: self) }
        }
        let bound = plan.bound(root, self)
        if bound > 0 {
            guard let worst = ranking.worstScore else { return nil }  // fewer champions admitted than the page holds
            // A document outside the champions scores at most `bound`, summed in another order:
            // a margin far above Float's rounding keeps the proof safe.
            guard worst > Double(bound) * (1 + 1e-4) else { return nil }
        }
        return ranking.page(in: self)
    }
}

/// A query compiled for scoring one document at a time: words become leaves (a posting list and
/// its idf), read through cursors that only move forward as the documents ascend.
struct ChampionPlan {
    indirect enum Node {
        case leaf(Int)
        /// A word no document has.
        case nothing
        case and([Node], excluded: [Node])
        case or([Node])
    }

    struct Leaf {
        var list: Int
        var inverseFrequency: Float
        // The list's arrays, held here so that scoring reads them without going through the corpus.
        var documents: [UInt32]
        var impacts: [Float]
    }

    private(set) var leaves: [Leaf] = []

    /// Mirrors `ResidentCorpus.matches(_:)`: nil exactly where it answers nil, nothing where it
    /// answers no documents.
    mutating func compile(_ query: LexemeQuery, _ corpus: ResidentCorpus) -> Node? {
        switch query {
        case .term(let lexeme):
            return leaf(lexeme, corpus)
        case .not:
            return nil
        case .or(let children):
            var nodes: [Node] = []
            for child in ResidentCorpus.alternatives(children) {
                guard let node = compile(child, corpus) else { return nil }
                nodes.append(node)
            }
            return .or(nodes)
        case .and(let children):
            var positive: [Node] = []
            var excludedQueries: [LexemeQuery] = []
            for child in children {
                switch child {
                case .term(let lexeme):
                    let node = leaf(lexeme, corpus)
                    guard case .leaf = node else { return .nothing }
                    positive.append(node)
                case .not(let inner):
                    excludedQueries.append(inner)
                case .and, .or:
                    guard let node = compile(child, corpus) else { return nil }
                    positive.append(node)
                }
            }
            guard !positive.isEmpty else { return nil }
            var excluded: [Node] = []
            for inner in excludedQueries {
                guard let node = compile(inner, corpus) else { return nil }
                excluded.append(node)
            }
            return .and(positive, excluded: excluded)
        }
    }

    private mutating func leaf(_ lexeme: String, _ corpus: ResidentCorpus) -> Node {
        guard let list = corpus.lexemes[lexeme] else { return .nothing }
        let posting = corpus.postings[Int(list)]
        leaves.append(Leaf(
            list: Int(list), inverseFrequency: corpus.inverseFrequency(posting.documents.count), documents: posting.documents,
            impacts: posting.impacts))
        return .leaf(leaves.count - 1)
    }

    /// Every document that is a champion of some leaf, ascending; nil above the candidate limit.
    func candidates(_ corpus: ResidentCorpus) -> [UInt32]? {
        var lists = Set<Int>()
        var total = 0
        for leaf in leaves where lists.insert(leaf.list).inserted { total += corpus.postings[leaf.list].champions.count }
        guard total <= ResidentCorpus.championCandidateLimit else { return nil }
        var all: [UInt32] = []
        all.reserveCapacity(total)
        for list in lists { all += corpus.postings[list].champions }
        all.sort()
        var unique: [UInt32] = []
        unique.reserveCapacity(all.count)
        for document in all where unique.last != document { unique.append(document) }
        return unique
    }

    /// The score `matches(_:)` gives `document` (up to the order of the additions); nil when the
    /// document does not match.
    func score(_ node: Node, _ document: UInt32, _ cursors: inout [Int]) -> Float? {
        switch node {
        case .leaf(let index):
            let position = ResidentCorpus.gallop(leaves[index].documents, from: cursors[index], to: document)
            cursors[index] = position
            guard position < leaves[index].documents.count, leaves[index].documents[position] == document else { return nil }
            return leaves[index].inverseFrequency * leaves[index].impacts[position]
        case .nothing:
            return nil
        case .and(let positive, let excluded):
            var total: Float = 0
            for child in positive {
                guard let part = score(child, document, &cursors) else { return nil }
                total += part
            }
            for child in excluded where score(child, document, &cursors) != nil { return nil }
            return total
        case .or(let children):
            var total: Float = 0, matched = false
            for child in children {
                if let part = score(child, document, &cursors) {
                    total += part
                    matched = true
                }
            }
            return matched ? total : nil
        }
    }

    /// The most a document that is no leaf's champion can score.
    func bound(_ node: Node, _ corpus: ResidentCorpus) -> Float {
        switch node {
        case .leaf(let index): leaves[index].inverseFrequency * corpus.postings[leaves[index].list].championBound
        case .nothing: 0
        case .and(let positive, _): positive.reduce(0) { $0 + bound($1, corpus) }
        case .or(let children): children.reduce(0) { $0 + bound($1, corpus) }
        }
    }
}
