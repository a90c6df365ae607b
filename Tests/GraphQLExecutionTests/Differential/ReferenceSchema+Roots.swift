import GraphQL
import OrderedCollections

/// The root types, with their GraphQLSwift resolvers (the root value is `()`).
extension ReferenceSchema {
    func queryFields() -> GraphQLFieldMap {
        let R = Void.self
        return [
            "node": Self.field(node, of: R, args: ["id": GraphQLArgument(type: GraphQLNonNull(GraphQLID))]) { _, arguments, shop in
                arguments.string("id").flatMap(shop.fixture.node)
            },
            "nodes": Self.field(
                GraphQLNonNull(GraphQLList(node)), of: R,
                args: ["ids": GraphQLArgument(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLID))))]
            ) { _, arguments, shop in (arguments.strings("ids") ?? []).map(shop.fixture.node) },
            "named": Self.field(named, of: R, args: ["name": GraphQLArgument(type: GraphQLNonNull(GraphQLString))]) { _, arguments, shop in
                arguments.string("name").flatMap(shop.fixture.named)
            },
            "me": Self.field(GraphQLNonNull(person), of: R) { _, _, shop in shop.fixture.person("p1") },
            "person": Self.field(
                person, of: R, args: ["id": GraphQLArgument(type: GraphQLNonNull(GraphQLID), defaultValue: .string("p1"))]
            ) { _, arguments, shop in
                await pause(microseconds: 10)
                return arguments.string("id").flatMap(shop.fixture.person)
            },
            "people": Self.field(
                GraphQLList(GraphQLNonNull(person)), of: R,
                args: [
                    "first": GraphQLArgument(type: GraphQLInt),
                    "order": GraphQLArgument(type: sortOrder, defaultValue: .string("ASC")),
                ]
            ) { _, arguments, shop in ShopFields.people(arguments, shop) },
            "pets": Self.field(GraphQLList(GraphQLNonNull(pet)), of: R, args: ["species": GraphQLArgument(type: species)]) {
                _, arguments, shop in ShopFields.pets(arguments, shop)
            },
            "products": Self.field(
                GraphQLList(GraphQLNonNull(product)), of: R,
                args: [
                    "filter": GraphQLArgument(type: productFilter),
                    "first": GraphQLArgument(type: GraphQLInt, defaultValue: .number(10)),
                ]
            ) { _, arguments, shop in ShopFields.products(arguments, shop) },
            "search": Self.field(
                GraphQLNonNull(GraphQLList(GraphQLNonNull(searchResult))), of: R,
                args: [
                    "text": GraphQLArgument(type: GraphQLNonNull(GraphQLString), defaultValue: .string("")),
                    "limit": GraphQLArgument(type: GraphQLInt, defaultValue: .number(5)),
                ]
            ) { _, arguments, shop in ShopFields.search(arguments, shop) },
            "echo": Self.field(
                GraphQLNonNull(GraphQLString), of: R, description: "Its coerced arguments as JSON with sorted keys.",
                args: [
                    "s": GraphQLArgument(type: GraphQLString),
                    "i": GraphQLArgument(type: GraphQLInt, defaultValue: .number(7)),
                    "f": GraphQLArgument(type: GraphQLFloat, defaultValue: .number(Number(1.5))),
                    "b": GraphQLArgument(type: GraphQLBoolean),
                    "id": GraphQLArgument(type: GraphQLID),
                    "color": GraphQLArgument(type: color, defaultValue: .string("GREEN")),
                    "colors": GraphQLArgument(type: GraphQLList(GraphQLNonNull(color))),
                    "matrix": GraphQLArgument(type: GraphQLList(GraphQLList(GraphQLInt))),
                    "input": GraphQLArgument(type: echoInput),
                    "inputs": GraphQLArgument(type: GraphQLList(GraphQLNonNull(echoInput))),
                    "when": GraphQLArgument(type: dateTime),
                    "strict": GraphQLArgument(type: GraphQLNonNull(GraphQLString), defaultValue: .string("yes")),
                ]
            ) { _, arguments, _ in arguments.echo },
            "failing": Self.field(GraphQLString, of: R) { _, _, _ in try ShopFields.failing() },
            "failingNonNull": Self.field(GraphQLNonNull(GraphQLString), of: R) { _, _, _ in try ShopFields.failingNonNull() },
            "slow": Self.field(
                GraphQLNonNull(GraphQLString), of: R, args: ["micros": GraphQLArgument(type: GraphQLInt, defaultValue: .number(10))]
            ) { _, arguments, _ in await ShopFields.slow(arguments) },
            "counter": Self.field(GraphQLNonNull(GraphQLInt), of: R) { _, _, shop in shop.snapshot.counter },
            "matrix": Self.field(GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLInt))))), of: R) { _, _, _ in
                ShopFields.matrix
            },
            "cube": Self.field(GraphQLList(GraphQLList(GraphQLList(GraphQLNonNull(GraphQLString)))), of: R) { _, _, _ in ShopFields.cube },
        ]
    }

    func mutationFields() -> GraphQLFieldMap {
        let R = Void.self
        return [
            "increment": Self.field(
                GraphQLNonNull(counter), of: R, args: ["by": GraphQLArgument(type: GraphQLInt, defaultValue: .number(1))]
            ) { _, arguments, shop in ShopFields.increment(arguments, shop) },
            "append": Self.field(
                counter, of: R,
                args: [
                    "entry": GraphQLArgument(type: GraphQLNonNull(GraphQLString)),
                    "times": GraphQLArgument(type: GraphQLInt, defaultValue: .number(1)),
                ]
            ) { _, arguments, shop in ShopFields.append(arguments, shop) },
            "setFavorite": Self.field(
                person, of: R,
                args: [
                    "personId": GraphQLArgument(type: GraphQLNonNull(GraphQLID)),
                    "color": GraphQLArgument(type: GraphQLNonNull(color)),
                ]
            ) { _, arguments, shop in ShopFields.setFavorite(arguments, shop) },
            "failingMutation": Self.field(
                counter, of: R, args: ["code": GraphQLArgument(type: GraphQLInt, defaultValue: .number(1))]
            ) { _, arguments, shop in try shop.failMutation(code: arguments.int("code") ?? 0) },
            "slowIncrement": Self.field(
                GraphQLNonNull(counter), of: R,
                args: [
                    "by": GraphQLArgument(type: GraphQLInt, defaultValue: .number(1)),
                    "micros": GraphQLArgument(type: GraphQLInt, defaultValue: .number(20)),
                ]
            ) { _, arguments, shop in await ShopFields.slowIncrement(arguments, shop) },
            "strictIncrement": Self.field(GraphQLNonNull(counter), of: R, args: ["by": GraphQLArgument(type: GraphQLNonNull(GraphQLInt))]) {
                _, arguments, shop in ShopFields.strictIncrement(arguments, shop)
            },
        ]
    }
}
