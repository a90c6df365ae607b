import GraphQL
import OrderedCollections

/// A field's coerced arguments as both executors hand them over (GraphQLSwift's `Map` after
/// ``ReferenceArguments``, our engine's `FieldArguments.values`), read the same way on both sides so
/// the field behaviours in ``ShopFields`` cannot tell which executor called them.
struct ShopArguments: Sendable {
    let values: OrderedDictionary<String, Map>

    init(_ values: OrderedDictionary<String, Map>) {
        self.values = values
    }

    subscript(name: String) -> Map {
        values[name] ?? .undefined
    }

    func int(_ name: String) -> Int? {
        if case .number(let number) = self[name] { return number.intValue }
        return nil
    }

    func double(_ name: String) -> Double? {
        if case .number(let number) = self[name] { return number.doubleValue }
        return nil
    }

    func string(_ name: String) -> String? {
        if case .string(let text) = self[name] { return text }
        return nil
    }

    func bool(_ name: String) -> Bool? {
        if case .bool(let flag) = self[name] { return flag }
        return nil
    }

    func strings(_ name: String) -> [String]? {
        guard case .array(let items) = self[name] else { return nil }
        return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    /// The deterministic text an echo field answers.
    var echo: String { CanonicalJSON.echo(values) }
}
