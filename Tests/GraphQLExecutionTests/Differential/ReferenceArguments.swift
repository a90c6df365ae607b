import GraphQL
import OrderedCollections

/// Completes GraphQLSwift's coerced arguments the way the spec says, before a reference resolver
/// sees them.
///
/// GraphQLSwift 4.3 substitutes an omitted variable as `.undefined` and stops there, so an argument
/// or input-object field fed by an omitted variable loses its default, and a list item fed by one
/// stays undefined. The spec gives the default (§6.4.1 CoerceArgumentValues: "no runtime value is
/// provided" → the default value; §3.10 Input Objects: the same for input fields) and null for the
/// list item (§3.11 List input coercion). Without this every such operation would differ for a
/// reason that is GraphQLSwift's, not ours; our engine's arguments are never passed through here.
enum ReferenceArguments {
    static func complete(_ arguments: Map, _ definitions: GraphQLArgumentConfigMap) -> OrderedDictionary<String, Map> {
        var completed = OrderedDictionary<String, Map>()
        for (name, definition) in definitions {
            var value = arguments.dictionary?[name] ?? .undefined
            if case .undefined = value, let defaultValue = definition.defaultValue { value = defaultValue }
            completed[name] = complete(value, as: definition.type)
        }
        return completed
    }

    private static func complete(_ value: Map, as type: any GraphQLInputType) -> Map {
        switch (type, value) {
        case (let nonNull as GraphQLNonNull, _):
            return complete(value, as: nonNull.ofType as! any GraphQLInputType)
        case (let list as GraphQLList, .array(let items)):
            return .array(items.map { item in
                if case .undefined = item { return .null }
                return complete(item, as: list.ofType as! any GraphQLInputType)
            })
        case (let object as GraphQLInputObjectType, .dictionary(let members)):
            var completed = OrderedDictionary<String, Map>()
            for (name, field) in (try? object.fields()) ?? [:] {
                var member = members[name] ?? .undefined
                if case .undefined = member, let defaultValue = field.defaultValue { member = defaultValue }
                completed[name] = complete(member, as: field.type)
            }
            return .dictionary(completed)
        default:
            return value
        }
    }
}
