import GraphQL
import OrderedCollections

/// The composed graph: every type and field with the subgraphs that can resolve it, the entity
/// keys per subgraph, and the API schema clients see.
///
/// Built by `compose(_:)` from subgraph SDLs, or decoded from the file `encoded()` writes (so a
/// deployment can compose once, check the result in, and start routers from it).
public struct Supergraph: Sendable {
    public struct Subgraph: Sendable, Codable, Hashable {
        public var name: String
        public var url: String?
    }

    public let subgraphs: [Subgraph]
    public let types: OrderedDictionary<String, SupergraphType>
    /// The schema clients see: no federation machinery, nothing `@inaccessible`.
    public let apiSDL: String
    /// `apiSDL` built into an executable schema: the gateway validates operations and answers
    /// introspection with it.
    public let apiSchema: GraphQLSchema
    /// Object types per interface and union, computed once: shaping asks for every object.
    private let possibleTypesIndex: [String: [String]]
    /// The kind of every type by name: shaping asks for every value, and a lookup in `types`
    /// would copy the whole `SupergraphType` out each time.
    private let kindIndex: [String: TypeKind]
    /// Every `@key`/`@requires`/`@provides` field set, parsed once: planning asks often.
    private let parsedFieldSets: [String: [FieldSet.Node]]

    init(subgraphs: [Subgraph], types: OrderedDictionary<String, SupergraphType>) throws(CompositionError) {
        self.subgraphs = subgraphs
        self.types = types
        var index: [String: [String]] = [:]
        for type in types.values {
            switch type.kind {
            case .union: index[type.name] = type.unionMembers
            case .object:
                index[type.name] = [type.name]
                for interface in type.interfaces { index[interface, default: []].append(type.name) }
            default: break
            }
        }
        self.possibleTypesIndex = index
        self.kindIndex = Dictionary(uniqueKeysWithValues: types.lazy.map { ($0.key, $0.value.kind) })
        var fieldSets: [String: [FieldSet.Node]] = [:]
        for type in types.values {
            let texts = type.keys.map(\.fields) + type.fields.values.flatMap { $0.resolutions.values.flatMap { [$0.requires, $0.provides].compactMap { $0 } } }
            for text in texts where fieldSets[text] == nil {
                fieldSets[text] = try? FieldSet(parsing: text).nodes
            }
        }
        self.parsedFieldSets = fieldSets
        self.apiSDL = APISchemaPrinter(types: types).print()
        do {
            self.apiSchema = try buildSchema(source: apiSDL)
        } catch {
            throw CompositionError(.invalidAPISchema, "the composed API schema is invalid: \(error)", subgraphs: subgraphs.map(\.name))
        }
    }

    public func type(named name: String) -> SupergraphType? { types[name] }

    public func kind(of typeName: String) -> TypeKind? { kindIndex[typeName] }

    /// A field set of the supergraph's directives, parsed; nil if it does not parse.
    func fieldSet(_ text: String) -> [FieldSet.Node]? {
        parsedFieldSets[text] ?? (try? FieldSet(parsing: text).nodes)
    }

    public func field(_ name: String, on type: String) -> SupergraphField? { types[type]?.fields[name] }

    public func subgraph(named name: String) -> Subgraph? { subgraphs.first { $0.name == name } }

    public var mutationType: SupergraphType? { types["Mutation"] }

    /// The names of the subscription root's fields (served by the realtime gateway).
    public var subscriptionFields: Set<String> { Set(types["Subscription"]?.fields.keys.map { $0 } ?? []) }

    /// The object types a value of `typeName` can be at runtime.
    public func possibleTypes(of typeName: String) -> [String] {
        possibleTypesIndex[typeName] ?? []
    }

    /// Whether a value of runtime type `objectType` matches a fragment on `condition`.
    public func objectType(_ objectType: String, satisfies condition: String) -> Bool {
        objectType == condition || possibleTypes(of: condition).contains(objectType)
    }

    /// Whether `subgraph` declares `typeName` at all (so it may appear in its selections).
    public func subgraph(_ subgraph: String, declares typeName: String) -> Bool {
        types[typeName]?.subgraphs.contains(subgraph) ?? false
    }
}
