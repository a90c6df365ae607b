import GraphQL

/// A GraphQL type reference (`[Product!]!`) kept as a value, so the supergraph can be encoded
/// and compared without holding AST nodes.
public indirect enum TypeReference: Sendable, Hashable, Codable, CustomStringConvertible {
    case named(String)
    case list(TypeReference)
    case nonNull(TypeReference)

    init(_ type: any GraphQL.`Type`) {
        switch type {
        case let named as NamedType: self = .named(named.name.value)
        case let list as ListType: self = .list(TypeReference(list.type))
        case let nonNull as NonNullType: self = .nonNull(TypeReference(nonNull.type))
        default: self = .named(String(describing: type))
        }
    }

    /// The named type at the bottom of any list and non-null wrappers.
    public var namedType: String {
        switch self {
        case .named(let name): name
        case .list(let inner), .nonNull(let inner): inner.namedType
        }
    }

    public var isNonNull: Bool {
        if case .nonNull = self { return true }
        return false
    }

    /// The type without its outer non-null wrapper.
    public var nullable: TypeReference {
        if case .nonNull(let inner) = self { return inner }
        return self
    }

    /// Whether a list appears anywhere in the wrappers (the value is a list of something).
    public var isList: Bool {
        switch nullable {
        case .list: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .named(let name): name
        case .list(let inner): "[\(inner)]"
        case .nonNull(let inner): "\(inner)!"
        }
    }
}
