import GraphQL
import OrderedCollections

/// Checks the request's variables against the operation's declarations and fills in defaults,
/// before any subgraph sees them: a wrong variable is the client's error (`BAD_USER_INPUT`),
/// answered once by the gateway rather than by each subgraph.
struct VariableCoercion {
    let supergraph: Supergraph

    func coerce(_ inputs: [String: Map], for operation: NormalizedOperation) -> Result<[String: Map], GraphQLError> {
        var result: [String: Map] = [:]
        for definition in operation.variables {
            let name = definition.name
            let provided = inputs[name].flatMap { $0.isUndefined ? nil : $0 }
            guard let value = provided else {
                if let defaultValue = definition.defaultValue {
                    result[name] = defaultValue
                } else if definition.type.isNonNull {
                    return .failure(error("variable '$\(name)' of required type '\(definition.type)' was not provided"))
                }
                continue
            }
            if let problem = check(value, against: definition.type, at: "$\(name)") {
                return .failure(error("variable '$\(name)' got an invalid value: \(problem)"))
            }
            result[name] = value
        }
        return .success(result)
    }

    /// A description of what is wrong, or nil.
    private func check(_ value: Map, against type: TypeReference, at location: String) -> String? {
        switch type {
        case .nonNull(let inner):
            if value.isNull { return "\(location) must not be null" }
            return check(value, against: inner, at: location)
        case .list(let inner):
            if value.isNull { return nil }
            guard case .array(let items) = value else { return check(value, against: inner, at: location) }
            for (index, item) in items.enumerated() {
                if let problem = check(item, against: inner, at: "\(location)[\(index)]") { return problem }
            }
            return nil
        case .named(let name):
            if value.isNull { return nil }
            return checkNamed(value, name, at: location)
        }
    }

    private static let int32Range = Double(Int32.min)...Double(Int32.max)

    private func checkNamed(_ value: Map, _ name: String, at location: String) -> String? {
        switch name {
        case "Int":
            // The double is checked before anything converts it: `intValue` of 1e300 would trap.
            guard case .number(let number) = value, Self.int32Range.contains(number.doubleValue),
                  number.doubleValue.rounded(.towardZero) == number.doubleValue
            else { return "\(location) must be an Int (a whole number from \(Int32.min) to \(Int32.max))" }
            return nil
        case "Float":
            guard case .number(let number) = value, number.doubleValue.isFinite else { return "\(location) must be a finite Float" }
            return nil
        case "String":
            guard case .string = value else { return "\(location) must be a String" }
            return nil
        case "Boolean":
            guard case .bool = value else { return "\(location) must be a Boolean" }
            return nil
        case "ID":
            switch value {
            case .string, .number: return nil
            default: return "\(location) must be an ID (string or integer)"
            }
        default:
            break
        }
        guard let type = supergraph.type(named: name) else { return "\(location) has unknown type '\(name)'" }
        switch type.kind {
        case .enumeration:
            guard let text = value.string, type.enumValues.contains(where: { $0.name == text && !$0.inaccessible }) else {
                return "\(location) must be one of \(type.enumValues.filter { !$0.inaccessible }.map(\.name).joined(separator: ", "))"
            }
            return nil
        case .inputObject:
            guard case .dictionary(let object) = value else { return "\(location) must be an object of type \(name)" }
            let fields = type.inputFields.filter { !$0.inaccessible }
            for key in object.keys where !fields.contains(where: { $0.name == key }) {
                return "\(location) has unknown field '\(key)' for \(name)"
            }
            for field in fields {
                let fieldValue = object[field.name] ?? .undefined
                if fieldValue.isUndefined {
                    if field.type.isNonNull && field.defaultValue == nil { return "\(location).\(field.name) is required" }
                    continue
                }
                if let problem = check(fieldValue, against: field.type, at: "\(location).\(field.name)") { return problem }
            }
            return nil
        default:
            // Custom scalars: the owning subgraph parses them.
            return nil
        }
    }

    private func error(_ message: String) -> GraphQLError {
        GraphQLError(message: message, extensions: ["code": .string(GatewayErrorCode.badUserInput)])
    }
}
