import GraphQLExecution

extension OutputValue {
    /// An object whose GraphQL type the engine works out itself (resolveType, else Swift type).
    init(untyped value: (any Sendable)?) {
        self = value.map { .object($0) } ?? .null
    }
}

// The fixture's values resolve further as objects.
extension PersonRecord: GraphQLObject {}
extension PetRecord: GraphQLObject {}
extension ProductRecord: GraphQLObject {}
extension VariantRecord: GraphQLObject {}
extension ReviewRecord: GraphQLObject {}
extension CounterSnapshot: GraphQLObject {}
