import GraphQL
import OrderedCollections

/// Puts introspected fields and input fields back in declaration order.
///
/// GraphQLSwift's introspection sorts `fields` and `inputFields` by name; the reference
/// implementation (graphql-js) and every other server keep the order of declaration, which
/// clients show to people (forms built from an input type list its fields as written). The
/// composed schema keeps declaration order, so the answer is reordered from it: a listed set of
/// names identifies its type (the type with exactly those names, else the smallest one that has
/// them all), whose declaration order is then applied. Lists without `name` are left as they are.
struct IntrospectionOrder: Sendable {
    /// Each object, interface and input type's member names, in declaration order.
    private let declarations: [[String]]

    init(supergraph: Supergraph) {
        declarations = supergraph.types.values.compactMap { type in
            guard !type.inaccessible else { return nil }
            switch type.kind {
            case .object, .interface: return type.fields.values.filter { !$0.inaccessible }.map(\.name)
            case .inputObject: return type.inputFields.filter { !$0.inaccessible }.map(\.name)
            default: return nil
            }
        }
    }

    func reorder(_ map: Map) -> Map {
        switch map {
        case .dictionary(let object):
            var result = OrderedDictionary<String, Map>()
            for (key, value) in object {
                if key == "fields" || key == "inputFields", case .array(let items) = value {
                    result[key] = .array(ordered(items.map(reorder)))
                } else {
                    result[key] = reorder(value)
                }
            }
            return .dictionary(result)
        case .array(let items):
            return .array(items.map(reorder))
        default:
            return map
        }
    }

    private func ordered(_ items: [Map]) -> [Map] {
        let names = items.compactMap { $0.dictionary?["name"]?.string }
        guard names.count == items.count, names.count > 1 else { return items }
        let listed = Set(names)
        let candidates = declarations.filter { $0.count >= listed.count && listed.isSubset(of: $0) }
        guard let declaration = candidates.min(by: { $0.count < $1.count }) else { return items }
        let position = Dictionary(declaration.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return zip(names, items).sorted { position[$0.0, default: .max] < position[$1.0, default: .max] }.map(\.1)
    }
}
