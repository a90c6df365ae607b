import GraphQL
import GraphQLExecution
import OrderedCollections
import Testing

/// Resolvers read arguments through `FieldArguments`; no value a client can send makes a read trap.
@Suite struct FieldArgumentsTests {
    @Test func wholeNumbersReadAsIntOthersAsNil() {
        let arguments = FieldArguments([
            "small": .number(Number(42)), "float": .number(Number(2.5)), "huge": .number(Number(1e300)),
            "infinite": .number(Number(Double.infinity)), "text": .string("7"), "null": .null,
        ])
        #expect(arguments.int("small") == 42)
        #expect(arguments.int("float") == nil)
        #expect(arguments.int("huge") == nil)
        #expect(arguments.int("infinite") == nil)
        #expect(arguments.int("text") == nil)
        #expect(arguments.int("null") == nil)
        #expect(arguments.int("absent") == nil)
        #expect(arguments.double("float") == 2.5)
        #expect(throws: FieldArgumentError.self) { try arguments.requiredInt("huge") }
        #expect(throws: FieldArgumentError.self) { try arguments.requiredString("small") }
    }

    @Test func anIntArgumentBeyond32BitsIsAFieldErrorNotATrap() async throws {
        var resolvers = SchemaResolvers<Void>()
        resolvers.query { query in
            query.field("echo", resolve: { _, arguments, _ in arguments.int("n") ?? -1 })
        }
        let schema = try ExecutableSchema(sdl: "type Query { echo(n: Int): Int }", resolvers: resolvers)
        for (text, variables) in [
            ("{ echo(n: 99999999999999999999) }", [String: Map]()),
            ("query($n: Int) { echo(n: $n) }", ["n": Map.number(Number(1e300))]),
            ("query($n: Int) { echo(n: $n) }", ["n": Map.number(Number(2.5))]),
        ] {
            let result = await schema.execute(document: try parse(source: text), operationName: nil, variables: variables, context: ())
            #expect(result.errors.count == 1, "\(text) \(variables)")
            #expect(result.data?["echo"] == nil || result.data?["echo"] == .null)
        }
    }
}

@Suite struct SourceTypeTests {
    struct Thing: Sendable { let name: String }

    @Test func aValueOfTheWrongSwiftTypeIsAFieldErrorNotACrash() async throws {
        var resolvers = SchemaResolvers<Void>()
        resolvers.object("Thing", Thing.self) { type in type.field("name") { $0.name } }
        resolvers.query { query in
            query.field("thing") { _ in OutputValue.object(42, type: "Thing") }
            query.field("fine") { _ in Thing(name: "ok") as Thing? }
        }
        let schema = try ExecutableSchema(sdl: "type Thing { name: String! } type Query { thing: Thing fine: Thing }", resolvers: resolvers)
        let result = await schema.execute(document: try parse(source: "{ thing { name } fine { name } }"), operationName: nil, variables: [:], context: ())
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.path.elements == [.key("thing"), .key("name")])
        #expect(result.data == ["thing": .null, "fine": ["name": "ok"]])
    }
}

extension SourceTypeTests.Thing: OutputValueConvertible {
    var outputValue: OutputValue { .object(self) }
}
