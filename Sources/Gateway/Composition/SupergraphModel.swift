import OrderedCollections

/// The kinds of named types a supergraph holds.
public enum TypeKind: String, Sendable, Codable, Hashable {
    case object, interface, union, enumeration, scalar, inputObject

    /// Interfaces and unions: the runtime type is one of several object types.
    public var isAbstract: Bool { self == .interface || self == .union }
    /// Types whose fields carry selections (objects and interfaces).
    public var isComposite: Bool { self == .object || self == .interface || self == .union }
}

/// An argument or an input field.
public struct InputValue: Sendable, Codable, Hashable {
    public var name: String
    public var type: TypeReference
    /// The default as GraphQL source text (`10`, `"x"`, `{a: 1}`).
    public var defaultValue: String?
    public var description: String?
    public var inaccessible: Bool
}

/// How one subgraph provides one field.
public struct FieldResolution: Sendable, Codable, Hashable {
    /// `@external`: declared so `@key`/`@requires`/`@provides` can name it, not resolved here.
    public var external: Bool
    /// `@requires(fields:)`: what the subgraph needs in the representation to resolve it.
    public var requires: String?
    /// `@provides(fields:)`: external fields of the returned type this subgraph resolves here.
    public var provides: String?
    /// Set on an implementation's field that the subgraph resolves through an
    /// `@interfaceObject`: the interface it must be asked for (`__typename` of representations).
    public var interfaceObject: String?

    public init(external: Bool = false, requires: String? = nil, provides: String? = nil, interfaceObject: String? = nil) {
        self.external = external
        self.requires = requires
        self.provides = provides
        self.interfaceObject = interfaceObject
    }
}

/// One field of an object or interface type, merged over the subgraphs that declare it.
public struct SupergraphField: Sendable, Codable, Hashable {
    public var name: String
    public var type: TypeReference
    public var arguments: [InputValue]
    public var description: String?
    public var deprecationReason: String?
    public var inaccessible: Bool
    /// Per subgraph (composition order) how it declares the field.
    public var resolutions: OrderedDictionary<String, FieldResolution>

    /// The subgraphs that can resolve the field on their own (not `@external`).
    public var resolvingSubgraphs: [String] {
        resolutions.filter { !$0.value.external }.map(\.key)
    }
}

/// A `@key` of an entity in one subgraph.
public struct EntityKey: Sendable, Codable, Hashable {
    public var subgraph: String
    /// The field set as written (`"id"`, `"sku organization { id }"`).
    public var fields: String
    /// `resolvable: false`: the subgraph references the entity but cannot fetch it by key.
    public var resolvable: Bool
}

public struct EnumValue: Sendable, Codable, Hashable {
    public var name: String
    public var description: String?
    public var deprecationReason: String?
    public var inaccessible: Bool
}

/// A named type of the supergraph.
public struct SupergraphType: Sendable, Codable, Hashable {
    public var name: String
    public var kind: TypeKind
    public var description: String?
    public var inaccessible: Bool
    /// The subgraphs that declare the type, in composition order.
    public var subgraphs: [String]
    public var fields: OrderedDictionary<String, SupergraphField>
    public var interfaces: [String]
    public var unionMembers: [String]
    public var enumValues: [EnumValue]
    public var inputFields: [InputValue]
    /// Empty for value types; an entity has at least one.
    public var keys: [EntityKey]
    /// Interfaces only: the subgraphs that see this interface as an `@interfaceObject`.
    public var interfaceObjectSubgraphs: [String]

    init(name: String, kind: TypeKind) {
        self.name = name
        self.kind = kind
        self.inaccessible = false
        self.subgraphs = []
        self.fields = [:]
        self.interfaces = []
        self.unionMembers = []
        self.enumValues = []
        self.inputFields = []
        self.keys = []
        self.interfaceObjectSubgraphs = []
    }

    private enum CodingKeys: String, CodingKey {
        case name, kind, description, inaccessible, subgraphs, fields, interfaces, unionMembers, enumValues, inputFields, keys
        case interfaceObjectSubgraphs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decode(TypeKind.self, forKey: .kind)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        inaccessible = try container.decode(Bool.self, forKey: .inaccessible)
        subgraphs = try container.decode([String].self, forKey: .subgraphs)
        fields = try container.decode(OrderedDictionary<String, SupergraphField>.self, forKey: .fields)
        interfaces = try container.decode([String].self, forKey: .interfaces)
        unionMembers = try container.decode([String].self, forKey: .unionMembers)
        enumValues = try container.decode([EnumValue].self, forKey: .enumValues)
        inputFields = try container.decode([InputValue].self, forKey: .inputFields)
        keys = try container.decode([EntityKey].self, forKey: .keys)
        // Absent in files written before interface objects were supported.
        interfaceObjectSubgraphs = try container.decodeIfPresent([String].self, forKey: .interfaceObjectSubgraphs) ?? []
    }

    public var isEntity: Bool { !keys.isEmpty }

    /// The keys a subgraph can be asked to resolve the entity by.
    public func resolvableKeys(in subgraph: String) -> [EntityKey] {
        keys.filter { $0.subgraph == subgraph && $0.resolvable }
    }

    /// Whether `subgraph` knows this interface only as an `@interfaceObject`.
    public func isInterfaceObject(in subgraph: String) -> Bool {
        interfaceObjectSubgraphs.contains(subgraph)
    }
}
