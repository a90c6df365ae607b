import GraphQL
import GraphQLExecution
import Testing

/// The hard cases of execution pinned by hand, on the differential suite's schema and data, with
/// the answers the spec gives (worked out here, not taken from either executor). Several are cases
/// the differential run cannot compare because GraphQLSwift gets them wrong (its allowed
/// differences 1, 3, 4 and 8 to 12, see ``DifferentialConformanceTests``).
@Suite struct ExecutionEdgeCaseTests {
    static let harness = Result { try DifferentialHarness() }

    /// Expects our response to be exactly `expected`.
    func expect(
        _ query: String, variables: [String: Map] = [:], plans: PlanStore? = nil, is expected: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws {
        let json = try await run(query, variables: variables, plans: plans)
        #expect(json == expected, sourceLocation: sourceLocation)
    }

    /// Our response, errors first as the engine writes them.
    func run(
        _ query: String, variables: [String: Map] = [:], operationName: String? = nil, plans: PlanStore? = nil
    ) async throws -> String {
        let harness = try Self.harness.get()
        let document = try #require(harness.validDocument(query), "not a valid document: \(query)")
        let result = await harness.runEngine(document, operationName, variables, shop: ShopState(), plans: plans)
        return CanonicalJSON.response(data: result.data, errors: result.errors)
    }

    // MARK: Null propagation (§6.4.4)

    @Test func aNullInANonNullFieldNullsTheNearestNullableListOfItsParents() async throws {
        // Kite's first variant has no sku: the variant (non-null item) cannot be null, so Kite's
        // nullable `variants` list is; the other products are untouched.
        try await expect("{ products { id variants { sku } } }", is: #"""
            {"errors":[{"message":"Cannot return null for non-nullable field Variant.sku.","locations":[{"line":1,"column":28}],"path":["products",0,"variants",0,"sku"]}],"data":{"products":[{"id":"pr3","variants":null},{"id":"pr1","variants":[{"sku":"L-R"},{"sku":"L-G"},{"sku":"L-M"}]},{"id":"pr2","variants":null}]}}
            """#)
    }

    @Test func aNullableListItemIsNulledInPlace() async throws {
        // Linus (p3) breaks `mustHave`; Ada's friends are `[Person]`: only his item is null. The
        // dangling friend p9 of Edsger is a plain null item, no error.
        try await expect("{ me { friends(first: 3) { name mustHave } } }", is: #"""
            {"errors":[{"message":"Cannot return null for non-nullable field Person.mustHave.","locations":[{"line":1,"column":33}],"path":["me","friends",1,"mustHave"]}],"data":{"me":{"friends":[{"name":"Grace","mustHave":"must-p2"},null,{"name":"Barbara","mustHave":"must-p4"}]}}}
            """#)
        try await expect(#"{ person(id: "p5") { friends { id } } nodes(ids: ["p1", "zz", "d1"]) { id } }"#, is: #"""
            {"data":{"person":{"friends":[{"id":"p1"},null]},"nodes":[{"id":"p1"},null,{"id":"d1"}]}}
            """#)
    }

    @Test func anErrorInANonNullListItemNullsTheList() async throws {
        // `Query.pets` is `[Pet!]`: Kitty's `lives` fails, her item cannot be null, the list is.
        try await expect("{ pets { name ... on Cat { lives } } }", is: #"""
            {"errors":[{"message":"the lives of c2 are unknown","locations":[{"line":1,"column":28}],"path":["pets",3,"lives"]}],"data":{"pets":null}}
            """#)
        // Deeper: `Person.pets` is `[Pet!]!`, so Barbara herself is nulled, then (`[Person!]`) the
        // whole `people` list, the nearest nullable position.
        try await expect("{ people { name pets { ... on Cat { lives } } } me { name } }", is: #"""
            {"errors":[{"message":"the lives of c2 are unknown","locations":[{"line":1,"column":37}],"path":["people",1,"pets",0,"lives"]}],"data":{"people":null,"me":{"name":"Ada"}}}
            """#)
    }

    @Test func aNullReachingTheRootMakesDataNull() async throws {
        let harness = try Self.harness.get()
        let document = try #require(harness.validDocument("{ me { name } failingNonNull }"))
        let result = await harness.runEngine(document, nil, [:], shop: ShopState())
        #expect(result.hasData && !result.isRequestError)
        let json = String(decoding: result.json, as: UTF8.self)
        #expect(json == #"""
            {"errors":[{"message":"the root field failingNonNull always fails","locations":[{"line":1,"column":15}],"path":["failingNonNull"]}],"data":null}
            """#)
    }

    // MARK: Error paths and locations (§7.1.2)

    @Test func errorPathsUseResponseKeysAndListIndexes() async throws {
        // Sorted by name descending: Linus, Grace, Edsger, Barbara, Ada; Grace's and Barbara's
        // secrets fail, under their aliases.
        try await expect("{ folks: people(order: DESC) { who: name hush: secret } }", is: #"""
            {"errors":[{"message":"the secret of p2 is classified","locations":[{"line":1,"column":42}],"path":["folks",1,"hush"]},{"message":"the secret of p4 is classified","locations":[{"line":1,"column":42}],"path":["folks",3,"hush"]}],"data":{"folks":[{"who":"Linus","hush":"Linus likes kernel"},{"who":"Grace","hush":null},{"who":"Edsger","hush":"Edsger likes goto"},{"who":"Barbara","hush":null},{"who":"Ada","hush":"Ada likes admin"}]}}
            """#)
    }

    @Test func aFragmentSpreadTwiceIsCollectedOnce() async throws {
        // The fragment's `failing` comes first, then the operation's own; the second spread of F
        // adds nothing (§6.3.2 CollectFields: each fragment once).
        try await expect("query { ... on Query { ...F } ...F failing } fragment F on Query { failing }", is: #"""
            {"errors":[{"message":"the root field failing always fails","locations":[{"line":1,"column":68},{"line":1,"column":36}],"path":["failing"]}],"data":{"failing":null}}
            """#)
    }

    // MARK: Mutations (§6.2.2, §6.3.1)

    @Test func mutationsRunOneAfterAnotherEachWithItsSubtree() async throws {
        let query = """
            mutation { first: increment(by: 2) { value live } second: slowIncrement(by: 3) { value slowLive history } \
            third: failingMutation { value } fourth: append(entry: "x") { value log } fifth: increment(by: -1) { value history live } }
            """
        try await expect(query, is: #"""
            {"errors":[{"message":"mutation failed with code 1 at counter 5","locations":[{"line":1,"column":107}],"path":["third"]}],"data":{"first":{"value":2,"live":2},"second":{"value":5,"slowLive":5,"history":[2,5]},"third":null,"fourth":{"value":5,"log":["x"]},"fifth":{"value":4,"history":[2,5,4],"live":4}}}
            """#)
    }

    /// Once a non-null error has nulled `data`, the remaining root mutation fields have nowhere
    /// to go: the error "propagates to this entire selection set" (§6.4.4) and GraphQLSwift and
    /// graphql-js stop executing there, so no mutation takes effect unseen.
    @Test func mutationsStopOnceANullReachesTheRoot() async throws {
        let harness = try Self.harness.get()
        let document = try #require(harness.validDocument("mutation { a: strictIncrement(by: -1) { value } b: increment(by: 5) { value } }"))
        let shop = ShopState()
        let result = await harness.runEngine(document, nil, [:], shop: shop)
        let json = CanonicalJSON.response(data: result.data, errors: result.errors)
        #expect(json == #"""
            {"errors":[{"message":"Cannot return null for non-nullable field Mutation.strictIncrement.","locations":[{"line":1,"column":12}],"path":["a"]}],"data":null}
            """#)
        #expect(shop.snapshot.counter == 0, "b ran after data was already null: \(shop.snapshot)")
    }

    // MARK: Directives and fragments

    @Test func skipAndIncludeFollowTheirVariableEvenOnAStoredPlan() async throws {
        let query = "query($hide: Boolean!) { me { name email @skip(if: $hide) ... @include(if: $hide) { age } } }"
        let plans = PlanStore()
        for _ in 0..<2 {
            try await expect(query, variables: ["hide": true], plans: plans, is: #"{"data":{"me":{"name":"Ada","age":36}}}"#)
            try await expect(query, variables: ["hide": false], plans: plans, is: #"{"data":{"me":{"name":"Ada","email":"ada@example.com"}}}"#)
        }
    }

    @Test func aFragmentOnAnInterfaceAppliesInsideAUnionMember() async throws {
        // "r" finds Grace, Barbara, Edsger, Rex and Chair; only Rex is a Pet.
        let query = """
            { search(text: "r") { __typename ... on Dog { ...PetBits } ... on Person { name } ... on Pet { nickname } } } \
            fragment PetBits on Pet { name owner { name } }
            """
        try await expect(query, is: #"""
            {"data":{"search":[{"__typename":"Person","name":"Grace"},{"__typename":"Person","name":"Barbara"},{"__typename":"Person","name":"Edsger"},{"__typename":"Dog","name":"Rex","owner":{"name":"Ada"},"nickname":"Rexy"},{"__typename":"Product"}]}}
            """#)
    }

    // MARK: Introspection where GraphQLSwift is wrong (allowed differences 8 to 11)

    @Test func isOneOfIsNullExceptForInputObjects() async throws {
        try await expect(#"{ object: __type(name: "Person") { isOneOf } input: __type(name: "EchoInput") { isOneOf } }"#, is: #"{"data":{"object":{"isOneOf":null},"input":{"isOneOf":false}}}"#)
    }

    /// In GraphQLSwift's layout and order (by name), which the differential run holds us to
    /// for arguments.
    @Test func inputFieldsShowTheirDefaults() async throws {
        try await expect(#"{ __type(name: "ProductFilter") { inputFields { name defaultValue } } }"#, is: #"""
            {"data":{"__type":{"inputFields":[{"name":"colors","defaultValue":"[RED, GREEN]"},{"name":"inStock","defaultValue":null},{"name":"order","defaultValue":"ASC"},{"name":"price","defaultValue":"{ min: 0.0, max: 1000.0 }"},{"name":"tags","defaultValue":null},{"name":"text","defaultValue":null}]}}}
            """#)
    }

    @Test func deprecatedArgumentsAreListedOnlyWhenAskedFor() async throws {
        let query = #"{ __type(name: "Person") { fields { name args { name } all: args(includeDeprecated: true) { name isDeprecated deprecationReason } } } }"#
        let json = try await run(query)
        #expect(json.contains(#"{"name":"greet","args":[{"name":"greeting"},{"name":"punctuation"}],"all":[{"name":"greeting","isDeprecated":false,"deprecationReason":null},{"name":"punctuation","isDeprecated":false,"deprecationReason":null},{"name":"times","isDeprecated":true,"deprecationReason":"Ignored."}]}"#), "\(json)")
    }
}
