import GraphQL

/// Why an operation cannot be planned. The code becomes the error's `extensions.code`.
public struct PlanningError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var description: String { message }

    static func invalid(_ message: String) -> PlanningError {
        PlanningError(code: "GRAPHQL_VALIDATION_FAILED", message: message)
    }

    static func unplannable(_ message: String) -> PlanningError {
        PlanningError(code: "QUERY_PLANNING_FAILED", message: message)
    }
}

/// Turns a validated document into a `NormalizedOperation`.
struct OperationNormalizer {
    let supergraph: Supergraph
    let fragments: [String: FragmentDefinition]

    static func normalize(_ document: Document, operationName: String?, supergraph: Supergraph) throws(PlanningError) -> NormalizedOperation {
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        let operation: OperationDefinition
        if let operationName {
            guard let named = operations.first(where: { $0.name?.value == operationName }) else {
                throw .invalid("unknown operation named '\(operationName)'")
            }
            operation = named
        } else {
            guard operations.count == 1 else {
                throw .invalid(operations.isEmpty ? "the document has no operation" : "the document has several operations; send operationName")
            }
            operation = operations[0]
        }
        var fragments: [String: FragmentDefinition] = [:]
        for case let fragment as FragmentDefinition in document.definitions { fragments[fragment.name.value] = fragment }
        let rootType: String = switch operation.operation {
        case .query: "Query"
        case .mutation: "Mutation"
        case .subscription: "Subscription"
        }
        guard operation.operation != .subscription else {
            throw PlanningError(code: "SUBSCRIPTIONS_NOT_SUPPORTED", message: "subscriptions are served over WebSocket: connect to /graphql with the graphql-transport-ws subprotocol")
        }
        guard supergraph.type(named: rootType) != nil else {
            throw .invalid("the schema has no \(rootType) type")
        }
        let normalizer = OperationNormalizer(supergraph: supergraph, fragments: fragments)
        var visiting: Set<String> = []
        return NormalizedOperation(
            kind: operation.operation, name: operation.name?.value, rootType: rootType,
            variables: operation.variableDefinitions.map {
                .init(
                    name: $0.variable.name.value, type: TypeReference($0.type),
                    defaultValue: $0.defaultValue.flatMap { try? valueFromASTUntyped(valueAST: $0) },
                    defaultValueSource: $0.defaultValue.map { print(ast: $0) })
            },
            selections: try normalizer.selections(operation.selectionSet, parentType: rootType, visiting: &visiting)
        )
    }

    func selections(_ selectionSet: SelectionSet, parentType: String, visiting: inout Set<String>) throws(PlanningError) -> [NormalizedSelection] {
        var result: [NormalizedSelection] = []
        for selection in selectionSet.selections {
            switch selection {
            case let field as Field:
                guard let conditions = try Self.conditions(field.directives) else { continue }
                result.append(.field(try normalizeField(field, parentType: parentType, conditions: conditions, visiting: &visiting)))
            case let inline as InlineFragment:
                guard let conditions = try Self.conditions(inline.directives) else { continue }
                let typeCondition = inline.typeCondition?.name.value ?? parentType
                let inner = try selections(inline.selectionSet, parentType: typeCondition, visiting: &visiting)
                append(fragment: NormalizedFragment(typeCondition: typeCondition, conditions: conditions, selections: inner), parentType: parentType, to: &result)
            case let spread as FragmentSpread:
                guard let conditions = try Self.conditions(spread.directives) else { continue }
                let name = spread.name.value
                guard let definition = fragments[name] else { throw .invalid("unknown fragment '\(name)'") }
                guard !visiting.contains(name) else { throw .invalid("fragment '\(name)' spreads itself") }
                visiting.insert(name)
                let typeCondition = definition.typeCondition.name.value
                let inner = try selections(definition.selectionSet, parentType: typeCondition, visiting: &visiting)
                visiting.remove(name)
                append(fragment: NormalizedFragment(typeCondition: typeCondition, conditions: conditions, selections: inner), parentType: parentType, to: &result)
            default:
                continue
            }
        }
        return result
    }

    /// A fragment on the enclosing type without conditions adds nothing: its fields join the
    /// enclosing selection, which keeps plans and subgraph operations small.
    private func append(fragment: NormalizedFragment, parentType: String, to result: inout [NormalizedSelection]) {
        if fragment.typeCondition == parentType && fragment.conditions.isEmpty {
            result.append(contentsOf: fragment.selections)
        } else {
            result.append(.fragment(fragment))
        }
    }

    private func normalizeField(_ field: Field, parentType: String, conditions: [SelectionCondition], visiting: inout Set<String>) throws(PlanningError) -> NormalizedField {
        let name = field.name.value
        let type: TypeReference
        switch name {
        case "__typename": type = .nonNull(.named("String"))
        case "__schema": type = .nonNull(.named("__Schema"))
        case "__type": type = .named("__Type")
        default:
            guard let definition = supergraph.field(name, on: parentType), !definition.inaccessible else {
                throw .invalid("cannot query field '\(name)' on type '\(parentType)'")
            }
            type = definition.type
        }
        var variables: [String] = []
        for argument in field.arguments { Self.collectVariables(argument.value, into: &variables) }
        let arguments = field.arguments.isEmpty ? "" : "(" + field.arguments.map { "\($0.name.value): \(print(ast: $0.value))" }.joined(separator: ", ") + ")"
        var listSize: NormalizedField.ListSize?
        for argument in field.arguments where ["first", "last", "limit", "pageSize"].contains(argument.name.value) {
            if let int = argument.value as? IntValue, let value = Int(int.value) { listSize = .literal(value) }
            if let variable = argument.value as? Variable { listSize = .variable(variable.name.value) }
        }
        let isIntrospection = name.hasPrefix("__")
        let children = try field.selectionSet.map { selectionSet throws(PlanningError) in
            // Introspection is answered by the gateway's own schema; its selections are not planned.
            isIntrospection ? [] : try selections(selectionSet, parentType: type.namedType, visiting: &visiting)
        } ?? []
        return NormalizedField(
            alias: field.alias?.value, name: name, arguments: arguments, argumentVariables: variables,
            conditions: conditions, type: type, selections: children, listSize: listSize
        )
    }

    static func collectVariables(_ value: any Value, into variables: inout [String]) {
        switch value {
        case let variable as Variable:
            if !variables.contains(variable.name.value) { variables.append(variable.name.value) }
        case let list as ListValue:
            for item in list.values { collectVariables(item, into: &variables) }
        case let object as ObjectValue:
            for field in object.fields { collectVariables(field.value, into: &variables) }
        default:
            break
        }
    }

    /// nil when a constant `@skip(if: true)`/`@include(if: false)` removes the selection;
    /// otherwise the conditions that depend on variables.
    static func conditions(_ directives: [Directive]) throws(PlanningError) -> [SelectionCondition]? {
        var result: [SelectionCondition] = []
        for directive in directives {
            let name = directive.name.value
            guard name == "skip" || name == "include" else { continue }
            guard let argument = directive.arguments.first(where: { $0.name.value == "if" }) else {
                throw .invalid("@\(name) needs an 'if' argument")
            }
            let passesWhen = name == "include"
            switch argument.value {
            case let constant as BooleanValue:
                if constant.value != passesWhen { return nil }
            case let variable as Variable:
                result.append(SelectionCondition(variable: variable.name.value, passesWhen: passesWhen))
            default:
                throw .invalid("@\(name)(if:) needs a Boolean or a variable")
            }
        }
        return result
    }
}
