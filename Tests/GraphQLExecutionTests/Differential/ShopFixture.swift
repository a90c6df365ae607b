/// The data both executors answer from. One model, read by the GraphQLSwift resolvers and by
/// ours alike, so that any difference in the responses comes from the executors and not from two
/// copies of the data drifting apart.
///
/// Its oddities are deliberate: absent optionals, empty lists, a dangling friend reference (a null
/// list item), a person whose non-null `mustHave` is null, secrets that throw for some people, a
/// cat whose non-null `lives` throws, a variant whose non-null `sku` is null and a review whose
/// non-null `strict` throws, and leaf values their types refuse. Each gives the executors a null
/// or an error to propagate.
struct ShopFixture: Sendable {
    let people: [PersonRecord]
    let pets: [PetRecord]
    let products: [ProductRecord]
    let reviews: [ReviewRecord]

    static let standard = ShopFixture(
        people: [
            PersonRecord(
                id: "p1", name: "Ada", age: 36, email: "ada@example.com", favoriteColor: "BLUE", tags: ["admin", "vip"],
                scores: [[1, 2], [3]], petIDs: ["d1", "c1"], friendIDs: ["p2", "p3", "p4"], bestFriendID: "p2",
                born: "1990-12-10T08:00:00Z"),
            PersonRecord(
                id: "p2", name: "Grace", age: nil, email: nil, favoriteColor: nil, tags: [], scores: nil, petIDs: ["d2"],
                friendIDs: ["p1"], bestFriendID: nil, born: nil),
            PersonRecord(
                id: "p3", name: "Linus", age: 54, email: "linus@example.org", favoriteColor: "RED", tags: ["kernel"],
                scores: [[], [7]], petIDs: [], friendIDs: [], bestFriendID: "p1", born: "1969-12-28T00:00:00Z"),
            PersonRecord(
                id: "p4", name: "Barbara", age: 81, email: nil, favoriteColor: "GREEN", tags: ["clu", "turing"],
                scores: [[10, 20, 30]], petIDs: ["c2"], friendIDs: ["p1", "p2"], bestFriendID: "p4",
                born: "1939-11-03T00:00:00Z"),
            PersonRecord(
                id: "p5", name: "Edsger", age: 72, email: "ewd@example.net", favoriteColor: nil, tags: ["goto"],
                scores: [], petIDs: [], friendIDs: ["p1", "p9"], bestFriendID: "p3", born: "1930-05-11T00:00:00Z"),
        ],
        pets: [
            PetRecord(
                id: "d1", name: "Rex", species: "DOG", ownerID: "p1", nickname: "Rexy", barkVolume: 7, goodBoy: true,
                tricks: ["sit", "roll"], playmateID: "c1"),
            PetRecord(id: "d2", name: "Fido", species: "DOG", ownerID: "p2", goodBoy: false),
            PetRecord(id: "c1", name: "Tom", species: "CAT", ownerID: "p1", nickname: "Tommy", lives: 9, indoor: true, nemesisID: "d1"),
            PetRecord(id: "c2", name: "Kitty", species: "CAT", ownerID: "p4", lives: nil, indoor: nil, nemesisID: "d2"),
        ],
        products: [
            ProductRecord(
                id: "pr1", name: "Lamp", price: 19.99, rating: 4.5, inStock: true, tags: ["home"],
                dimensions: [[10.0, 20.5], [3.0]],
                variants: [
                    VariantRecord(sku: "L-R", color: "RED", stock: 3, weight: 1.25),
                    VariantRecord(sku: "L-G", color: "GREEN", stock: 0, weight: 1.5),
                    VariantRecord(sku: "L-M", color: "MAUVE", stock: 1, weight: .infinity),
                ],
                reviewIDs: ["r1", "r2"], relatedIDs: ["pr2"], released: "2023-05-01T12:00:00Z"),
            ProductRecord(
                id: "pr2", name: "Chair", price: 49.0, rating: nil, inStock: false, tags: [], dimensions: [],
                variants: nil, reviewIDs: ["r3"], relatedIDs: ["pr1", "pr3"], released: "2021-01-15T09:30:00Z"),
            ProductRecord(
                id: "pr3", name: "Kite", price: 5.5, rating: 3.0, inStock: true, tags: ["toy", "outdoor"],
                dimensions: [[1.5]],
                variants: [VariantRecord(sku: nil, color: "BLUE", stock: 1, weight: 0.5), VariantRecord(sku: "K-P", color: nil, stock: 12, weight: nil)],
                reviewIDs: [], relatedIDs: [], released: "2024-07-04T00:00:00Z"),
        ],
        reviews: [
            ReviewRecord(id: "r1", stars: 5, body: "Bright.", authorID: "p1", productID: "pr1"),
            ReviewRecord(id: "r2", stars: 2, body: nil, authorID: "p4", productID: "pr1"),
            ReviewRecord(id: "r3", stars: 4, body: "Sturdy \"enough\".", authorID: "p2", productID: "pr2"),
        ]
    )

    func person(_ id: String) -> PersonRecord? { people.first { $0.id == id } }
    func pet(_ id: String) -> PetRecord? { pets.first { $0.id == id } }
    func product(_ id: String) -> ProductRecord? { products.first { $0.id == id } }
    func review(_ id: String) -> ReviewRecord? { reviews.first { $0.id == id } }

    /// Anything with an id, as the Swift value the executors resolve further.
    func node(_ id: String) -> (any Sendable)? {
        person(id) ?? pet(id).map { $0 as any Sendable } ?? product(id).map { $0 as any Sendable } ?? review(id).map { $0 as any Sendable }
    }

    /// `Named` values: people, pets and products, by exact name.
    func named(_ name: String) -> (any Sendable)? {
        people.first { $0.name == name } ?? pets.first { $0.name == name }.map { $0 as any Sendable }
            ?? products.first { $0.name == name }.map { $0 as any Sendable }
    }

    /// `SearchResult`s whose name contains `text` (case-insensitively): people, then pets, then
    /// products, at most `limit` of them.
    func search(_ text: String, limit: Int?) -> [any Sendable] {
        let needle = text.lowercased()
        func matches(_ name: String) -> Bool { needle.isEmpty || name.lowercased().contains(needle) }
        var hits: [any Sendable] = []
        hits += people.filter { matches($0.name) }.map { $0 as any Sendable }
        hits += pets.filter { matches($0.name) }.map { $0 as any Sendable }
        hits += products.filter { matches($0.name) }.map { $0 as any Sendable }
        return Array(hits.prefix(max(0, limit ?? hits.count)))
    }
}

/// The GraphQL object type of a fixture value: what the reference's `resolveType` answers and what
/// our resolvers put in `.object(_, type:)` where the Swift type does not say it (pets).
func graphQLTypeName(of value: any Sendable) -> String? {
    switch value {
    case is PersonRecord: "Person"
    case let pet as PetRecord: pet.species == "DOG" ? "Dog" : "Cat"
    case is ProductRecord: "Product"
    case is ReviewRecord: "Review"
    case is VariantRecord: "Variant"
    case is CounterSnapshot: "Counter"
    default: nil
    }
}

struct PersonRecord: Sendable {
    let id: String
    let name: String
    let age: Int?
    let email: String?
    let favoriteColor: String?
    let tags: [String]
    let scores: [[Int]]?
    let petIDs: [String]
    let friendIDs: [String]
    let bestFriendID: String?
    let born: String?

    /// Throws for p2 and p4 (a nullable field's error stays where it happened).
    func secret() throws -> String {
        if id == "p2" || id == "p4" { throw ResolverFailure("the secret of \(id) is classified") }
        return "\(name) likes \(tags.first ?? "nothing")"
    }

    /// Null for p3 although non-null (a null that must propagate).
    var mustHave: String? { id == "p3" ? nil : "must-\(id)" }
}

/// Dogs and cats share one Swift type on purpose: our engine cannot tell their GraphQL type from
/// the Swift type, so resolvers must name it (`.object(_, type:)` or `resolveType(of:)`).
struct PetRecord: Sendable {
    let id: String
    let name: String
    let species: String
    let ownerID: String?
    var nickname: String? = nil
    var barkVolume: Int? = nil
    var goodBoy = false
    var tricks: [String] = []
    var playmateID: String? = nil
    var lives: Int? = nil
    var indoor: Bool? = nil
    var nemesisID: String? = nil

    /// `Cat.lives` is non-null: c2's unknown lives is an error that propagates.
    func livesOrThrow() throws -> Int {
        guard let lives else { throw ResolverFailure("the lives of \(id) are unknown") }
        return lives
    }
}

struct ProductRecord: Sendable {
    let id: String
    let name: String
    let price: Double
    let rating: Double?
    let inStock: Bool
    let tags: [String]
    let dimensions: [[Double]]
    let variants: [VariantRecord]?
    let reviewIDs: [String]
    let relatedIDs: [String]
    let released: String

    func price(in currency: String?) -> Double {
        switch currency {
        case "USD": (price * 1.1 * 100).rounded() / 100
        case "RUB": price * 90
        default: price
        }
    }
}

/// L-M's colour is not a `Color` and its weight is infinite: leaf values their types cannot
/// serialize (field errors raised by the executors themselves).
struct VariantRecord: Sendable {
    let sku: String?
    let color: String?
    let stock: Int
    let weight: Double?
}

struct ReviewRecord: Sendable {
    let id: String
    let stars: Int
    let body: String?
    let authorID: String
    let productID: String

    /// Non-null and throwing for r2 (an error in a non-null field inside a non-null list).
    func strict() throws -> String {
        if id == "r2" { throw ResolverFailure("review \(id) is awaiting moderation") }
        return "\(stars) stars"
    }
}

/// What a `Counter` shows: the value the mutation left, next to live views of the shared state.
struct CounterSnapshot: Sendable {
    let value: Int
}

/// A resolver's failure. Deliberately not a `GraphQLError`: GraphQLSwift gives a thrown
/// `GraphQLError` neither path nor locations, and both executors turn other errors into their
/// `description`.
struct ResolverFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
