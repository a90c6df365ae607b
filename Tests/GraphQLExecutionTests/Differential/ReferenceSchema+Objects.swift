import GraphQL
import OrderedCollections

/// The field maps of the shop's object types, with their GraphQLSwift resolvers.
extension ReferenceSchema {
    func personFields() -> GraphQLFieldMap {
        let P = PersonRecord.self
        return [
            "id": Self.field(GraphQLNonNull(GraphQLID), of: P) { p, _, _ in p.id },
            "name": Self.field(GraphQLNonNull(GraphQLString), of: P) { p, _, _ in p.name },
            "age": Self.field(GraphQLInt, of: P) { p, _, _ in p.age },
            "email": Self.field(GraphQLString, of: P) { p, _, _ in p.email },
            "favoriteColor": Self.field(color, of: P) { p, _, shop in shop.favoriteColor(of: p) },
            "tags": Self.field(GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLString))), of: P) { p, _, _ in p.tags },
            "scores": Self.field(GraphQLList(GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLInt)))), of: P) { p, _, _ in p.scores },
            "pets": Self.field(
                GraphQLNonNull(GraphQLList(GraphQLNonNull(pet))), of: P, args: ["species": GraphQLArgument(type: species)]
            ) { p, arguments, shop in ShopFields.pets(of: p, arguments, shop) },
            "friends": Self.field(
                GraphQLList(person), of: P, args: ["first": GraphQLArgument(type: GraphQLInt, defaultValue: .number(2))]
            ) { p, arguments, shop in ShopFields.friends(of: p, arguments, shop) },
            "bestFriend": Self.field(person, of: P) { p, _, shop in p.bestFriendID.flatMap(shop.fixture.person) },
            "secret": Self.field(GraphQLString, of: P) { p, _, _ in try p.secret() },
            "mustHave": Self.field(GraphQLNonNull(GraphQLString), of: P) { p, _, _ in p.mustHave },
            "born": Self.field(dateTime, of: P) { p, _, _ in p.born },
            "greet": Self.field(
                GraphQLNonNull(GraphQLString), of: P, description: "Echoes its coerced arguments.",
                args: [
                    "greeting": GraphQLArgument(type: GraphQLString, defaultValue: .string("Hello")),
                    "punctuation": GraphQLArgument(type: GraphQLNonNull(GraphQLString), defaultValue: .string("!")),
                    "times": GraphQLArgument(type: GraphQLInt, deprecationReason: "Ignored."),
                ]
            ) { p, arguments, _ in ShopFields.greet(p, arguments) },
            "legacyId": Self.field(GraphQLString, of: P, deprecated: "Use `id`.") { p, _, _ in "legacy-\(p.id)" },
        ]
    }

    /// The fields dogs and cats share through `Pet`.
    private func petFields() -> GraphQLFieldMap {
        let P = PetRecord.self
        return [
            "id": Self.field(GraphQLNonNull(GraphQLID), of: P) { pet, _, _ in pet.id },
            "name": Self.field(GraphQLNonNull(GraphQLString), of: P) { pet, _, _ in pet.name },
            "species": Self.field(GraphQLNonNull(species), of: P) { pet, _, _ in pet.species },
            "owner": Self.field(person, of: P) { pet, _, shop in pet.ownerID.flatMap(shop.fixture.person) },
            "nickname": Self.field(GraphQLString, of: P) { pet, _, _ in pet.nickname },
        ]
    }

    func dogFields() -> GraphQLFieldMap {
        let P = PetRecord.self
        var fields = petFields()
        fields["barkVolume"] = Self.field(GraphQLInt, of: P) { dog, _, _ in dog.barkVolume }
        fields["goodBoy"] = Self.field(GraphQLNonNull(GraphQLBoolean), of: P) { dog, _, _ in dog.goodBoy }
        fields["tricks"] = Self.field(GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLString))), of: P) { dog, _, _ in dog.tricks }
        fields["slowBark"] = Self.field(GraphQLString, of: P) { dog, _, _ in try await ShopFields.slowBark(dog) }
        fields["playmate"] = Self.field(pet, of: P) { dog, _, shop in dog.playmateID.flatMap(shop.fixture.pet) }
        return fields
    }

    func catFields() -> GraphQLFieldMap {
        let P = PetRecord.self
        var fields = petFields()
        fields["lives"] = Self.field(GraphQLNonNull(GraphQLInt), of: P) { cat, _, _ in try cat.livesOrThrow() }
        fields["indoor"] = Self.field(GraphQLBoolean, of: P) { cat, _, _ in cat.indoor }
        fields["nemesis"] = Self.field(dog, of: P) { cat, _, shop in cat.nemesisID.flatMap(shop.fixture.pet) }
        return fields
    }

    func productFields() -> GraphQLFieldMap {
        let P = ProductRecord.self
        return [
            "id": Self.field(GraphQLNonNull(GraphQLID), of: P) { product, _, _ in product.id },
            "name": Self.field(GraphQLNonNull(GraphQLString), of: P) { product, _, _ in product.name },
            "price": Self.field(
                GraphQLNonNull(GraphQLFloat), of: P, args: ["currency": GraphQLArgument(type: currency, defaultValue: .string("EUR"))]
            ) { product, arguments, _ in product.price(in: arguments.string("currency")) },
            "rating": Self.field(GraphQLFloat, of: P) { product, _, _ in product.rating },
            "inStock": Self.field(GraphQLNonNull(GraphQLBoolean), of: P) { product, _, _ in product.inStock },
            "tags": Self.field(GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLString))), of: P) { product, _, _ in product.tags },
            "dimensions": Self.field(
                GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLFloat))))), of: P
            ) { product, _, _ in product.dimensions },
            "variants": Self.field(GraphQLList(GraphQLNonNull(variant)), of: P) { product, _, _ in product.variants },
            "reviews": Self.field(
                GraphQLNonNull(GraphQLList(GraphQLNonNull(review))), of: P,
                args: ["minStars": GraphQLArgument(type: GraphQLInt, defaultValue: .number(0))]
            ) { product, arguments, shop in ShopFields.reviews(of: product, arguments, shop) },
            "related": Self.field(
                GraphQLNonNull(GraphQLList(GraphQLNonNull(product))), of: P,
                args: ["first": GraphQLArgument(type: GraphQLInt, defaultValue: .number(1))]
            ) { product, arguments, shop in try ShopFields.related(to: product, arguments, shop) },
            "released": Self.field(GraphQLNonNull(dateTime), of: P) { product, _, _ in product.released },
        ]
    }

    func variantFields() -> GraphQLFieldMap {
        let P = VariantRecord.self
        return [
            "sku": Self.field(GraphQLNonNull(GraphQLString), of: P) { variant, _, _ in variant.sku },
            "color": Self.field(color, of: P) { variant, _, _ in variant.color },
            "stock": Self.field(GraphQLNonNull(GraphQLInt), of: P) { variant, _, _ in variant.stock },
            "weight": Self.field(GraphQLFloat, of: P) { variant, _, _ in variant.weight },
        ]
    }

    func reviewFields() -> GraphQLFieldMap {
        let P = ReviewRecord.self
        return [
            "id": Self.field(GraphQLNonNull(GraphQLID), of: P) { review, _, _ in review.id },
            "stars": Self.field(GraphQLNonNull(GraphQLInt), of: P) { review, _, _ in review.stars },
            "body": Self.field(GraphQLString, of: P) { review, _, _ in review.body },
            "author": Self.field(GraphQLNonNull(person), of: P) { review, _, shop in shop.fixture.person(review.authorID) },
            "product": Self.field(product, of: P) { review, _, shop in shop.fixture.product(review.productID) },
            "strict": Self.field(GraphQLNonNull(GraphQLString), of: P) { review, _, _ in try review.strict() },
        ]
    }

    func counterFields() -> GraphQLFieldMap {
        let P = CounterSnapshot.self
        return [
            "value": Self.field(GraphQLNonNull(GraphQLInt), of: P, description: "The counter as this mutation left it.") { counter, _, _ in
                counter.value
            },
            "live": Self.field(GraphQLNonNull(GraphQLInt), of: P, description: "The counter now.") { _, _, shop in shop.snapshot.counter },
            "slowLive": Self.field(GraphQLNonNull(GraphQLInt), of: P) { _, _, shop in
                await pause(microseconds: 20)
                return shop.snapshot.counter
            },
            "history": Self.field(GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLInt))), of: P) { _, _, shop in shop.snapshot.history },
            "log": Self.field(GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLString))), of: P) { _, _, shop in shop.snapshot.log },
        ]
    }
}
