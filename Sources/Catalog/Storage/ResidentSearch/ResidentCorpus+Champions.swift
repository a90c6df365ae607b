import EmporiumCore
import Foundation

// Champion lists (Manning, Raghavan and Schütze, "Introduction to Information Retrieval", §7.2.3):
// each long posting list also keeps the documents where its word weighs most. A relevance-ordered
// page is first ranked among the champions of the query's words only; it is the answer when the
// page is full and its last place beats anything a document outside every champion list could
// score (the sum, over the query's words, of idf × the list's edge impact), or ties it and comes
// first on the id. Scores are whole numbers (`impactScale`), so that comparison is exact. A common
// word's list is hundreds of thousands of postings; its champions are a thousand. When the proof
// fails, the caller ranks every match as before: the answer is the same either way.
extension ResidentCorpus {
    /// Above this many candidates the champions are not tried (a query of very many words).
    static let championCandidateLimit = 32_768
    /// Deeper pages than this are ranked over every match.
    static let championPageLimit = 1_000

    /// Chooses `list`'s champions: the first `championCount` postings by impact descending, then
    /// id ascending (a seeded catalog ties thousands of products on one impact).
    mutating func chooseChampions(of list: Int) {
        let documents = postings[list].documents, impacts = postings[list].impacts
        guard championCount > 0, impacts.count > championCount else {
            postings[list].champions = documents
            postings[list].championEdge = 0
            postings[list].championEdgeID = OrderedID(high: 0, low: 0)
            return
        }
        let edge = Self.select(championCount, of: impacts, by: >)
        var chosen: [UInt32] = []
        var tied: [(id: OrderedID, document: UInt32)] = []
        for (position, impact) in impacts.enumerated() {
            if impact > edge { chosen.append(documents[position]) } else if impact == edge { tied.append((OrderedID(ids[Int(documents[position])]), documents[position])) }
        }
        // The tied postings with the lowest ids fill the rest (all of them with an id up to the
        // cut: a dead and a live number may share an id).
        let cut = Self.select(championCount - chosen.count, of: tied.map(\.id), by: <)
        chosen += tied.filter { $0.id <= cut }.map(\.document)
        chosen.sort()
        postings[list].champions = chosen
        postings[list].championEdge = edge
        postings[list].championEdgeID = cut
    }

    /// The value at `rank` (from 1) in the order `precedes` of `values` (quickselect on a copy;
    /// `1 ≤ rank ≤ values.count`).
    static func select<Value>(_ rank: Int, of values: [Value], by precedes: (Value, Value) -> Bool) -> Value {
        var values = values
        var low = 0, high = values.count - 1
        let target = rank - 1
        while low < high {
            let pivot = values[(low + high) / 2]
            var left = low, right = high
            while left <= right {
                while precedes(values[left], pivot) { left += 1 }
                while precedes(pivot, values[right]) { right -= 1 }
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

    /// A new posting's place among the champions: added when it comes before the edge, so that
    /// the edge stays true without choosing again.
    mutating func admitChampion(_ document: UInt32, impact: Float, list: Int) {
        let edge = postings[list].championEdge
        if impact > edge || (impact == edge && OrderedID(ids[Int(document)]) <= postings[list].championEdgeID) {
            postings[list].champions.append(document)
        }
    }

    /// The page of a relevance-ordered text search ranked among the champions alone; nil when it
    /// cannot be proved that way (another order, a deep page, too many candidates, a bound not
    /// beaten) or when `matches(_:)` would leave the query to PostgreSQL.
    func championPage(_ query: LexemeQuery, _ search: ProductSearch) -> [UUID]? {
        let end = search.offset.addingReportingOverflow(search.limit)
        guard search.order == .relevance, !end.overflow, end.partialValue <= Self.championPageLimit, search.offset >= 0 else { return nil }
        var plan = ChampionPlan()
        guard let root = plan.compile(query, self) else { return nil }
        guard var ranking = Ranking(self, search, hasText: true) else { return [] }
        // A word in more documents than are alive (dead ones not yet compacted) has a negative idf,
        // and then the bound below is no bound; sums must stay whole numbers below 2²⁴ to be exact.
        let largest = plan.leaves.reduce(Float(0)) { $0 + $1.inverseFrequency * 1_127 }
        guard plan.leaves.allSatisfy({ $0.inverseFrequency > 0 }), largest < 16_000_000, let candidates = plan.candidates(self) else { return nil }
        let start = plan.layOut(root)
        var cursors = [Int](repeating: 0, count: plan.leaves.count)
        for document in candidates {
            if let score = plan.score(start, document, &cursors) { ranking.consider(document, score: score, in: self) }
        }
        // A document outside every champion list scores at most `bound`, and ties it only with
        // every word at its list's edge and so an id after every edge id.
        let (bound, edgeID) = plan.bound(root)
        if bound > 0 {
            guard let last = ranking.last else { return nil }  // fewer champions admitted than the page holds
            guard last.score > Double(bound) || (last.score == Double(bound) && edgeID.map { last.id <= $0 } == true) else { return nil }
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
        var edge: Float
        var edgeID: OrderedID
        /// The list's bitmap, when it has one (else empty and not read).
        var bitmap: PostingBitmap
        var hasBitmap: Bool
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
            impacts: posting.impacts, edge: posting.championEdge, edgeID: posting.championEdgeID,
            bitmap: posting.bitmap ?? PostingBitmap([]), hasBitmap: posting.bitmap != nil))
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

    /// The tree laid out flat for scoring (``score(_:_:_:)``): plain values, so walking it for
    /// thousands of candidates costs no reference counting.
    struct Step {
        enum Kind: UInt8 { case leaf, nothing, and, or }
        var kind: Kind
        /// The leaf, for a leaf.
        var leaf: Int
        /// The children, in `children`: first the positive ones, then (an AND's) the excluded.
        var first: Int
        var positive: Int
        var excluded: Int
    }

    private(set) var steps: [Step] = []
    private(set) var children: [Int] = []

    /// Lays `node` out in `steps`; returns its step.
    mutating func layOut(_ node: Node) -> Int {
        func place(_ kind: Step.Kind, leaf: Int = 0, _ positive: [Node] = [], _ excluded: [Node] = []) -> Int {
            let placed = (positive + excluded).map { layOut($0) }
            steps.append(Step(kind: kind, leaf: leaf, first: children.count, positive: positive.count, excluded: excluded.count))
            children += placed
            return steps.count - 1
        }
        switch node {
        case .leaf(let index): return place(.leaf, leaf: index)
        case .nothing: return place(.nothing)
        case .and(let positive, let excluded): return place(.and, positive, excluded)
        case .or(let alternatives): return place(.or, alternatives)
        }
    }

    /// The score `matches(_:)` gives `document` (the same, sums being exact); nil when the
    /// document does not match.
    func score(_ step: Int, _ document: UInt32, _ cursors: inout [Int]) -> Float? {
        let node = steps[step]
        switch node.kind {
        case .leaf:
            let index = node.leaf
            if leaves[index].hasBitmap {
                guard let position = leaves[index].bitmap.position(of: document) else { return nil }
                return leaves[index].inverseFrequency * leaves[index].impacts[position]
            }
            let position = ResidentCorpus.gallop(leaves[index].documents, from: cursors[index], to: document)
            cursors[index] = position
            guard position < leaves[index].documents.count, leaves[index].documents[position] == document else { return nil }
            return leaves[index].inverseFrequency * leaves[index].impacts[position]
        case .nothing:
            return nil
        case .and:
            var total: Float = 0
            for child in node.first..<(node.first + node.positive) {
                guard let part = score(children[child], document, &cursors) else { return nil }
                total += part
            }
            let excluded = node.first + node.positive
            for child in excluded..<(excluded + node.excluded) where score(children[child], document, &cursors) != nil { return nil }
            return total
        case .or:
            var total: Float = 0, matched = false
            for child in node.first..<(node.first + node.positive) {
                if let part = score(children[child], document, &cursors) {
                    total += part
                    matched = true
                }
            }
            return matched ? total : nil
        }
    }

    /// The most a document that is no leaf's champion can score, and the highest edge id among
    /// the leaves that add to it (nil when none does).
    func bound(_ node: Node) -> (score: Float, edgeID: OrderedID?) {
        switch node {
        case .leaf(let index):
            let part = leaves[index].inverseFrequency * leaves[index].edge
            return (part, part > 0 ? leaves[index].edgeID : nil)
        case .nothing:
            return (0, nil)
        case .and(let children, _), .or(let children):
            var total: Float = 0
            var highest: OrderedID?
            for child in children {
                let (part, id) = bound(child)
                total += part
                if let id { highest = max(highest ?? id, id) }
            }
            return (total, highest)
        }
    }
}
