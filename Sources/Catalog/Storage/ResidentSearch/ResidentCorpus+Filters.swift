import EmporiumCore
import Foundation

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
