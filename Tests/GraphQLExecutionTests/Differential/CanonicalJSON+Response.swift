import GraphQL
import OrderedCollections

extension CanonicalJSON {
    /// A whole response as our engine writes it: errors first, a path only when there is one.
    static func response(data: Map?, errors: [GraphQLError]) -> String {
        var members = OrderedDictionary<String, Map>()
        if !errors.isEmpty {
            members["errors"] = .array(errors.map { error in
                var fields: OrderedDictionary<String, Map> = ["message": .string(error.message)]
                if !error.locations.isEmpty {
                    fields["locations"] = .array(error.locations.map { .dictionary(["line": .number(Number($0.line)), "column": .number(Number($0.column))]) })
                }
                if !error.path.elements.isEmpty {
                    fields["path"] = .array(error.path.elements.map { element in
                        switch element {
                        case .key(let key): .string(key)
                        case .index(let index): .number(Number(index))
                        }
                    })
                }
                return .dictionary(fields)
            })
        }
        if let data { members["data"] = data }
        return encode(.dictionary(members))
    }
}
