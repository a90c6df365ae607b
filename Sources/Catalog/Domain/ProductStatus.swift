import EmporiumCore

/// A product's lifecycle: draft → (scheduled →) published → archived.
public enum ProductStatus: String, Sendable, Codable, CaseIterable {
    case draft
    /// Published automatically at `publishAt`; reads treat it as published from then on.
    case scheduled
    case published
    case archived

    /// The transitions the catalog allows. Archived products can be brought back as drafts.
    public func canTransition(to next: ProductStatus) -> Bool {
        switch (self, next) {
        case (.draft, .scheduled), (.draft, .published), (.draft, .archived),
             (.scheduled, .published), (.scheduled, .draft), (.scheduled, .scheduled), (.scheduled, .archived),
             (.published, .archived), (.published, .draft),
             (.archived, .draft):
            return true
        default:
            return false
        }
    }

    func requireTransition(to next: ProductStatus) throws {
        guard canTransition(to: next) else {
            throw EmporiumError(.conflict, "a product cannot go from \(rawValue) to \(next.rawValue)")
        }
    }
}
