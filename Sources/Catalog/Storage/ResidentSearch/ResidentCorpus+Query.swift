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
