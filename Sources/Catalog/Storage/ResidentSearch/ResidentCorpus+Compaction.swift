import Foundation

extension ResidentCorpus {
    /// Whether dead numbers are worth a compaction (a quarter of the corpus, and many).
    var needsCompaction: Bool { deadCount > 50_000 && deadCount * 4 > ids.count }

    /// Renumbers the live documents densely, in their current order (so every posting list stays
    /// sorted), and drops the dead.
    mutating func compact() {
        var renumbered = [UInt32](repeating: .max, count: ids.count)
        var next: UInt32 = 0
        for index in ids.indices where alive[index] {
            renumbered[index] = next
            next += 1
        }
        func keep<T>(_ column: [T]) -> [T] {
            var kept: [T] = []
            kept.reserveCapacity(Int(next))
            for index in column.indices where alive[index] { kept.append(column[index]) }
            return kept
        }
        let liveIDs = keep(ids)
        visibility = keep(visibility)
        publishAt = keep(publishAt)
        createdAt = keep(createdAt)
        price = keep(price)
        currency = keep(currency)
        category = keep(category)
        seller = keep(seller)
        length = keep(length)
        digests = keep(digests)
        available = keep(available)
        sales = keep(sales)
        views = keep(views)
        versions = keep(versions)
        titles = keep(titles)
        titleKeys = keep(titleKeys)
        for list in postings.indices {
            var kept = PostingList()
            let old = postings[list]
            for (position, document) in old.documents.enumerated() where renumbered[Int(document)] != .max {
                kept.documents.append(renumbered[Int(document)])
                kept.frequencies.append(old.frequencies[position])
                kept.impacts.append(old.impacts[position])
            }
            postings[list] = kept
        }
        titleOrder = titleOrder.compactMap { renumbered[Int($0)] == .max ? nil : renumbered[Int($0)] }
        recentTitles = recentTitles.compactMap { renumbered[Int($0)] == .max ? nil : renumbered[Int($0)] }
        ids = liveIDs
        alive = [Bool](repeating: true, count: liveIDs.count)
        numbers = Dictionary(uniqueKeysWithValues: liveIDs.enumerated().map { ($1, UInt32($0)) })
        recomputeImpacts()
        mapCommonLists()
    }
}
