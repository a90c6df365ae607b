import EmporiumCore
import Foundation

// Facet counts over a search's matches (docs/search.md, "Facets").
extension ResidentCorpus {
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
