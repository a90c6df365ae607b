import EmporiumCore

/// A node of the category tree. Listing by a category includes its descendants.
public struct Category: Sendable, Equatable {
    public let id: CategoryID
    public let parentID: CategoryID?
    public let slug: Slug
    public let name: String

    public init(id: CategoryID, parentID: CategoryID?, slug: Slug, name: String) {
        self.id = id
        self.parentID = parentID
        self.slug = slug
        self.name = name
    }
}
