import GraphQL

/// What the fields with behaviour of their own answer, written once and called by both the
/// GraphQLSwift resolvers (``ReferenceSchema``) and ours (``EngineResolvers``). Trivial fields (a
/// stored property) are read directly on each side.
enum ShopFields {
    // MARK: Query

    static func people(_ arguments: ShopArguments, _ shop: ShopState) -> [PersonRecord] {
        var people = shop.fixture.people.sorted { $0.name < $1.name }
        if arguments.string("order") == "DESC" { people.reverse() }
        if let first = arguments.int("first") { people = Array(people.prefix(max(0, first))) }
        return people
    }

    static func pets(_ arguments: ShopArguments, _ shop: ShopState) -> [PetRecord] {
        let species = arguments.string("species")
        return shop.fixture.pets.filter { species == nil || $0.species == species }
    }

    /// Filters on the text, stock, price range and variant colours (products without variants
    /// always pass the colours), sorts by price, keeps `first`.
    static func products(_ arguments: ShopArguments, _ shop: ShopState) -> [ProductRecord] {
        var products = shop.fixture.products
        var descending = false
        if case .dictionary(let filter) = arguments["filter"] {
            let filter = ShopArguments(filter)
            if let text = filter.string("text") { products = products.filter { $0.name.lowercased().contains(text.lowercased()) } }
            if let inStock = filter.bool("inStock") { products = products.filter { $0.inStock == inStock } }
            if case .dictionary(let range) = filter["price"] {
                let range = ShopArguments(range)
                if let min = range.double("min") { products = products.filter { $0.price >= min } }
                if let max = range.double("max") { products = products.filter { $0.price <= max } }
            }
            if let colors = filter.strings("colors") {
                products = products.filter { product in
                    guard let variants = product.variants else { return true }
                    return variants.contains { $0.color.map(colors.contains) ?? false }
                }
            }
            descending = filter.string("order") == "DESC"
        }
        products.sort { descending ? $0.price > $1.price : $0.price < $1.price }
        if let first = arguments.int("first") { products = Array(products.prefix(max(0, first))) }
        return products
    }

    static func search(_ arguments: ShopArguments, _ shop: ShopState) -> [any Sendable] {
        shop.fixture.search(arguments.string("text") ?? "", limit: arguments.int("limit"))
    }

    static func failing() throws -> String? {
        throw ResolverFailure("the root field failing always fails")
    }

    static func failingNonNull() throws -> String {
        throw ResolverFailure("the root field failingNonNull always fails")
    }

    static func slow(_ arguments: ShopArguments) async -> String {
        let micros = arguments.int("micros") ?? 0
        await pause(microseconds: micros)
        return "slept \(micros)µs"
    }

    static let matrix = [[1, 2, 3], [4, 5], []]
    static let cube = [[["a", "b"], []], [["c"]]]

    // MARK: Person

    static func pets(of person: PersonRecord, _ arguments: ShopArguments, _ shop: ShopState) -> [PetRecord] {
        let species = arguments.string("species")
        return person.petIDs.compactMap(shop.fixture.pet).filter { species == nil || $0.species == species }
    }

    /// The first `first` friends (all of them for null); a dangling friend id is a null item.
    static func friends(of person: PersonRecord, _ arguments: ShopArguments, _ shop: ShopState) -> [PersonRecord?] {
        var ids = person.friendIDs
        if let first = arguments.int("first") { ids = Array(ids.prefix(max(0, first))) }
        return ids.map(shop.fixture.person)
    }

    static func greet(_ person: PersonRecord, _ arguments: ShopArguments) -> String {
        "\(person.name): \(arguments.echo)"
    }

    // MARK: Product

    static func reviews(of product: ProductRecord, _ arguments: ShopArguments, _ shop: ShopState) -> [ReviewRecord] {
        let minStars = arguments.int("minStars") ?? 0
        return product.reviewIDs.compactMap(shop.fixture.review).filter { $0.stars >= minStars }
    }

    /// Throws for a negative `first` (our engine's resolver is a batch: one throw fails every
    /// product of the level, each with its own path, as GraphQLSwift's per-product throws do).
    static func related(to product: ProductRecord, _ arguments: ShopArguments, _ shop: ShopState) throws -> [ProductRecord] {
        var ids = product.relatedIDs
        if let first = arguments.int("first") {
            guard first >= 0 else { throw ResolverFailure("first must not be negative, got \(first)") }
            ids = Array(ids.prefix(first))
        }
        return ids.compactMap(shop.fixture.product)
    }

    /// Throws for a dog without a bark (an async field failing for one item of a list).
    static func slowBark(_ dog: PetRecord) async throws -> String {
        await pause(microseconds: 30)
        guard let volume = dog.barkVolume else { throw ResolverFailure("\(dog.id) cannot bark") }
        return "\(dog.name) barks at \(volume)"
    }

    // MARK: Mutation

    static func increment(_ arguments: ShopArguments, _ shop: ShopState) -> CounterSnapshot {
        shop.increment(by: arguments.int("by") ?? 0)
    }

    static func append(_ arguments: ShopArguments, _ shop: ShopState) -> CounterSnapshot {
        shop.append(arguments.string("entry") ?? "", times: arguments.int("times") ?? 1)
    }

    static func setFavorite(_ arguments: ShopArguments, _ shop: ShopState) -> PersonRecord? {
        shop.setFavorite(arguments.string("color") ?? "", of: arguments.string("personId") ?? "")
    }

    static func slowIncrement(_ arguments: ShopArguments, _ shop: ShopState) async -> CounterSnapshot {
        await pause(microseconds: arguments.int("micros") ?? 0)
        return shop.increment(by: arguments.int("by") ?? 0)
    }

    /// Null (for a non-null field) when asked to go down.
    static func strictIncrement(_ arguments: ShopArguments, _ shop: ShopState) -> CounterSnapshot? {
        let by = arguments.int("by") ?? 0
        return by < 0 ? nil : shop.increment(by: by)
    }
}
