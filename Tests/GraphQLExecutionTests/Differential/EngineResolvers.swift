import GraphQL
import GraphQLExecution

/// Our engine's side of the differential suite: the same fields as ``ReferenceSchema``, over the
/// same ``ShopFixture`` and ``ShopFields``, declared with ``SchemaResolvers``.
///
/// The kinds are mixed on purpose so that every path of the executor is compared with
/// GraphQLSwift: plain synchronous resolvers, `async` ones (root fields, slow fields, a slow
/// mutation) and `batch` ones (owners, authors, best friends, reviews, related products), some
/// batches answering `.failure` for single items. Abstract types are resolved all three ways:
/// by Swift type (people, products), by `resolveType(of:)` (pets behind `Pet` and `Node`) and by
/// `.object(_, type:)` (search results, pets behind `Named`).
enum EngineResolvers {
    static func make() -> SchemaResolvers<ShopState> {
        var resolvers = SchemaResolvers<ShopState>()
        query(&resolvers)
        mutation(&resolvers)
        person(&resolvers)
        pets(&resolvers)
        product(&resolvers)
        resolvers.object("Counter", CounterSnapshot.self) { counter in
            counter.field("value") { $0.value }
            counter.field("live", resolve: { _, _, shop in shop.snapshot.counter })
            counter.field("slowLive", async: { _, _, shop in
                await pause(microseconds: 20)
                return shop.snapshot.counter
            })
            counter.field("history", resolve: { _, _, shop in shop.snapshot.history })
            counter.field("log", resolve: { _, _, shop in shop.snapshot.log })
        }
        // Dogs and cats share `PetRecord`: only their species tells them apart.
        resolvers.resolveType(of: "Pet") { value in (value as? PetRecord).flatMap(graphQLTypeName(of:)) }
        // Nil for anything but a pet: the engine falls back to the Swift type.
        resolvers.resolveType(of: "Node") { value in (value as? PetRecord).flatMap(graphQLTypeName(of:)) }
        return resolvers
    }

    /// A value of an abstract type that names its object type.
    static func typed(_ value: (any Sendable)?) -> OutputValue {
        guard let value else { return .null }
        return .object(value, type: graphQLTypeName(of: value))
    }

    /// Answers each item, or its error alone.
    static func each<Source>(_ sources: [Source], _ answer: (Source) throws -> OutputValue) -> [OutputValue] {
        sources.map { source in
            do { return try answer(source) } catch { return .failure(error) }
        }
    }

    private static func query(_ resolvers: inout SchemaResolvers<ShopState>) {
        resolvers.query { query in
            query.field("node", resolve: { _, arguments, shop in
                OutputValue(untyped: arguments.string("id").flatMap(shop.fixture.node))
            })
            query.field("nodes", resolve: { _, arguments, shop in
                (ShopArguments(arguments.values).strings("ids") ?? []).map { OutputValue(untyped: shop.fixture.node($0)) }
            })
            query.field("named", resolve: { _, arguments, shop in
                let value = arguments.string("name").flatMap(shop.fixture.named)
                return value is PetRecord ? typed(value) : OutputValue(untyped: value)
            })
            query.field("me", resolve: { _, _, shop in shop.fixture.person("p1") })
            query.field("person", async: { _, arguments, shop in
                await pause(microseconds: 10)
                return arguments.string("id").flatMap(shop.fixture.person)
            })
            query.field("people", resolve: { _, arguments, shop in ShopFields.people(ShopArguments(arguments.values), shop) })
            query.field("pets", async: { _, arguments, shop in ShopFields.pets(ShopArguments(arguments.values), shop) })
            query.field("products", resolve: { _, arguments, shop in ShopFields.products(ShopArguments(arguments.values), shop) })
            query.field("search", async: { _, arguments, shop in
                ShopFields.search(ShopArguments(arguments.values), shop).map(typed)
            })
            query.field("echo", resolve: { _, arguments, _ in ShopArguments(arguments.values).echo })
            query.field("failing", resolve: { _, _, _ in try ShopFields.failing() })
            query.field("failingNonNull", async: { _, _, _ in try ShopFields.failingNonNull() })
            query.field("slow", async: { _, arguments, _ in await ShopFields.slow(ShopArguments(arguments.values)) })
            query.field("counter", resolve: { _, _, shop in shop.snapshot.counter })
            query.field("matrix") { _ in ShopFields.matrix }
            query.field("cube") { _ in ShopFields.cube }
        }
    }

    private static func mutation(_ resolvers: inout SchemaResolvers<ShopState>) {
        resolvers.mutation { mutation in
            mutation.field("increment", resolve: { _, arguments, shop in ShopFields.increment(ShopArguments(arguments.values), shop) })
            mutation.field("append", resolve: { _, arguments, shop in ShopFields.append(ShopArguments(arguments.values), shop) })
            mutation.field("setFavorite", resolve: { _, arguments, shop in ShopFields.setFavorite(ShopArguments(arguments.values), shop) })
            mutation.field("failingMutation", resolve: { _, arguments, shop in
                try shop.failMutation(code: arguments.int("code") ?? 0)
            })
            mutation.field("slowIncrement", async: { _, arguments, shop in
                await ShopFields.slowIncrement(ShopArguments(arguments.values), shop)
            })
            mutation.field("strictIncrement", resolve: { _, arguments, shop in
                ShopFields.strictIncrement(ShopArguments(arguments.values), shop)
            })
        }
    }

    private static func person(_ resolvers: inout SchemaResolvers<ShopState>) {
        resolvers.object("Person", PersonRecord.self) { person in
            person.field("id") { $0.id }
            person.field("name") { $0.name }
            person.field("age") { $0.age }
            person.field("email") { $0.email }
            person.field("favoriteColor", resolve: { p, _, shop in shop.favoriteColor(of: p) })
            person.field("tags") { $0.tags }
            person.field("scores") { $0.scores }
            person.field("pets", async: { p, arguments, shop in ShopFields.pets(of: p, ShopArguments(arguments.values), shop) })
            person.field("friends", resolve: { p, arguments, shop in ShopFields.friends(of: p, ShopArguments(arguments.values), shop) })
            person.field("bestFriend", batch: { people, _, shop in people.map { $0.bestFriendID.flatMap(shop.fixture.person) } })
            person.field("secret", batch: { people, _, _ in each(people) { .string(try $0.secret()) } })
            person.field("mustHave") { $0.mustHave }
            person.field("born") { $0.born }
            person.field("greet", resolve: { p, arguments, _ in ShopFields.greet(p, ShopArguments(arguments.values)) })
            person.field("legacyId") { "legacy-\($0.id)" }
        }
    }

    private static func pets(_ resolvers: inout SchemaResolvers<ShopState>) {
        func shared(_ pet: inout ObjectResolvers<ShopState, PetRecord>) {
            pet.field("id") { $0.id }
            pet.field("name") { $0.name }
            pet.field("species") { $0.species }
            pet.field("owner", batch: { pets, _, shop in pets.map { $0.ownerID.flatMap(shop.fixture.person) } })
            pet.field("nickname") { $0.nickname }
        }
        resolvers.object("Dog", PetRecord.self) { dog in
            shared(&dog)
            dog.field("barkVolume") { $0.barkVolume }
            dog.field("goodBoy") { $0.goodBoy }
            dog.field("tricks") { $0.tricks }
            dog.field("slowBark", async: { dog, _, _ in try await ShopFields.slowBark(dog) })
            dog.field("playmate", resolve: { dog, _, shop in dog.playmateID.flatMap(shop.fixture.pet) })
        }
        resolvers.object("Cat", PetRecord.self) { cat in
            shared(&cat)
            cat.field("lives", batch: { cats, _, _ in each(cats) { .int(try $0.livesOrThrow()) } })
            cat.field("indoor") { $0.indoor }
            cat.field("nemesis", resolve: { cat, _, shop in cat.nemesisID.flatMap(shop.fixture.pet) })
        }
    }

    private static func product(_ resolvers: inout SchemaResolvers<ShopState>) {
        resolvers.object("Product", ProductRecord.self) { product in
            product.field("id") { $0.id }
            product.field("name") { $0.name }
            product.field("price", resolve: { product, arguments, _ in product.price(in: arguments.string("currency")) })
            product.field("rating") { $0.rating }
            product.field("inStock") { $0.inStock }
            product.field("tags") { $0.tags }
            product.field("dimensions") { $0.dimensions }
            product.field("variants") { $0.variants }
            product.field("reviews", batch: { products, arguments, shop in
                products.map { ShopFields.reviews(of: $0, ShopArguments(arguments.values), shop) }
            })
            product.field("related", batch: { products, arguments, shop in
                try products.map { try ShopFields.related(to: $0, ShopArguments(arguments.values), shop) }
            })
            product.field("released") { $0.released }
        }
        resolvers.object("Variant", VariantRecord.self) { variant in
            variant.field("sku") { $0.sku }
            variant.field("color") { $0.color }
            variant.field("stock") { $0.stock }
            variant.field("weight") { $0.weight }
        }
        resolvers.object("Review", ReviewRecord.self) { review in
            review.field("id") { $0.id }
            review.field("stars") { $0.stars }
            review.field("body") { $0.body }
            review.field("author", batch: { reviews, _, shop in reviews.map { shop.fixture.person($0.authorID) } })
            review.field("product", resolve: { review, _, shop in shop.fixture.product(review.productID) })
            review.field("strict", batch: { reviews, _, _ in each(reviews) { .string(try $0.strict()) } })
        }
    }
}
