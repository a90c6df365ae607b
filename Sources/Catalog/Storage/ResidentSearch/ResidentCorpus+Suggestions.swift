import Foundation

extension ResidentCorpus {
    /// Up to `limit` vocabulary words starting with `prefix`, in byte order.
    func completions(of prefix: String, limit: Int) -> [String] {
        var found: [String] = []
        var index = Self.lowerBound(vocabulary, prefix) { $0 }
        while index < vocabulary.count, found.count < limit, Self.hasBytePrefix(vocabulary[index], prefix) {
            found.append(vocabulary[index])
            index += 1
        }
        return found
    }

    /// Up to `limit` public products whose lowercased title starts with `prefix`, in title order
    /// (the main order and the recent titles walked together).
    func titles(startingWith prefix: String, limit: Int, now: Double) -> [(title: String, id: UUID)] {
        var found: [(title: String, id: UUID)] = []
        var main = Self.lowerBound(titleOrder, prefix) { titleKeys[Int($0)] }
        var recent = Self.lowerBound(recentTitles, prefix) { titleKeys[Int($0)] }
        func next(_ order: [UInt32], _ position: Int) -> UInt32? {
            guard position < order.count, Self.hasBytePrefix(titleKeys[Int(order[position])], prefix) else { return nil }
            return order[position]
        }
        // Drafts and archived titles are stepped over, a bounded number of them.
        var steps = 0
        while found.count < limit, steps < 10 * limit + 1_000 {
            steps += 1
            let left = next(titleOrder, main), right = next(recentTitles, recent)
            let document: UInt32
            if let left, right.map({ !Self.precedes(titleKeys[Int($0)], titleKeys[Int(left)]) }) ?? true {
                document = left
                main += 1
            } else if let right {
                document = right
                recent += 1
            } else {
                break
            }
            let index = Int(document)
            if alive[index], isPublic(index, now: now) { found.append((titles[index], ids[index])) }
        }
        return found
    }
}
