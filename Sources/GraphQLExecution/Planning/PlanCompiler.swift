import GraphQL
import OrderedCollections

/// Compiles one operation of a validated document into an ``OperationPlan``: CollectFields of
/// the spec (fragments expanded, `@skip`/`@include` decided, fields merged by response key) for
/// every object type a selection may reach, each field bound to its resolver and its completion.
struct PlanCompiler {
    let schema: SchemaRuntime
    let fragments: [String: FragmentDefinition]
    /// The values `@skip(if:)` / `@include(if:)` read: literal or coerced variables.
    let variables: [String: Map]
    private var nextID = 0

    init(schema: SchemaRuntime, document: Document, variables: [String: Map]) {
        self.schema = schema
        var fragments: [String: FragmentDefinition] = [:]
        for case let fragment as FragmentDefinition in document.definitions {
            fragments[fragment.name.value] = fragment
        }
        self.fragments = fragments
        self.variables = variables
    }

    mutating func compile(_ operation: OperationDefinition) throws -> OperationPlan {
        let rootName: String
        switch operation.operation {
        case .query: rootName = schema.schema.queryType?.name ?? "Query"
        case .mutation: rootName = schema.schema.mutationType?.name ?? "Mutation"
        case .subscription:
            throw GraphQLError(message: "subscriptions are not executed here", nodes: [operation])
        }
        guard let root = schema.objects[rootName] else {
            throw GraphQLError(message: "the schema has no \(operation.operation.rawValue) type", nodes: [operation])
        }
        let plan = try selectionPlan(for: root, selectionSets: [operation.selectionSet], isQueryRoot: operation.operation == .query)
        return OperationPlan(operation: operation.operation, root: plan, fieldCount: nextID)
    }

    // MARK: Selection sets

    private mutating func selectionPlan(
        for object: ObjectType, selectionSets: [SelectionSet], isQueryRoot: Bool = false
    ) throws -> SelectionPlan {
        var grouped = OrderedDictionary<String, [Field]>()
        var visited = Set<String>()
        for selectionSet in selectionSets {
            collectFields(object.type, selectionSet, into: &grouped, visited: &visited)
        }
        var fields: [FieldPlan] = []
        fields.reserveCapacity(grouped.count)
        for (responseKey, nodes) in grouped {
            fields.append(try fieldPlan(responseKey: responseKey, nodes: nodes, in: object, isQueryRoot: isQueryRoot))
        }
        return SelectionPlan(typeName: object.type.name, fields: fields)
    }

    private func collectFields(
        _ type: GraphQLObjectType, _ selectionSet: SelectionSet, into grouped: inout OrderedDictionary<String, [Field]>,
        visited: inout Set<String>
    ) {
        for selection in selectionSet.selections {
            switch selection {
            case let field as Field:
                guard isIncluded(field.directives) else { continue }
                grouped[field.alias?.value ?? field.name.value, default: []].append(field)
            case let spread as FragmentSpread:
                let name = spread.name.value
                guard isIncluded(spread.directives), !visited.contains(name) else { continue }
                visited.insert(name)
                guard let fragment = fragments[name], applies(fragment.typeCondition.name.value, to: type) else { continue }
                collectFields(type, fragment.selectionSet, into: &grouped, visited: &visited)
            case let inline as InlineFragment:
                guard isIncluded(inline.directives) else { continue }
                if let condition = inline.typeCondition, !applies(condition.name.value, to: type) { continue }
                collectFields(type, inline.selectionSet, into: &grouped, visited: &visited)
            default:
                continue
            }
        }
    }

    private func applies(_ typeCondition: String, to type: GraphQLObjectType) -> Bool {
        if typeCondition == type.name { return true }
        guard let conditionType = schema.schema.getType(name: typeCondition) as? any GraphQLAbstractType else { return false }
        return schema.schema.isSubType(abstractType: conditionType, maybeSubType: type)
    }

    /// `@skip(if:)` and `@include(if:)`, from a literal or a variable.
    private func isIncluded(_ directives: [Directive]) -> Bool {
        for directive in directives {
            let name = directive.name.value
            guard name == "skip" || name == "include",
                  let argument = directive.arguments.first(where: { $0.name.value == "if" })
            else { continue }
            let condition: Bool
            switch argument.value {
            case let literal as BooleanValue: condition = literal.value
            case let variable as Variable: condition = variables[variable.name.value]?.bool ?? false
            default: condition = false
            }
            if name == "skip", condition { return false }
            if name == "include", !condition { return false }
        }
        return true
    }

    // MARK: Fields

    private mutating func fieldPlan(
        responseKey: String, nodes: [Field], in object: ObjectType, isQueryRoot: Bool
    ) throws -> FieldPlan {
        let node = nodes[0]
        let fieldName = node.name.value
        let id = nextID
        nextID += 1
        let resolution: PlannedResolution
        let definition: (type: any GraphQLOutputType, arguments: [ArgumentDefinition])
        if fieldName == "__typename" {
            return FieldPlan(
                id: id, responseKey: responseKey, fieldName: fieldName, parentType: object.type.name, nodes: nodes,
                resolution: .typename, arguments: .fixed(.none), completion: .nonNull(.leaf(.string))
            )
        } else if isQueryRoot, let meta = IntrospectionMetaFields.metaField(fieldName, schema: schema.schema) {
            resolution = .resolver(meta.resolution)
            definition = (meta.type, meta.arguments)
        } else if let field = object.fields[fieldName], let resolver = object.resolvers[fieldName] {
            resolution = .resolver(resolver)
            definition = (field.type, field.args.map { ArgumentDefinition(name: $0.key, type: $0.value.type, defaultValue: $0.value.defaultValue) })
        } else {
            throw GraphQLError(message: "Cannot query field \"\(fieldName)\" on type \"\(object.type.name)\".", nodes: nodes)
        }
        let subselections = nodes.compactMap(\.selectionSet)
        return FieldPlan(
            id: id, responseKey: responseKey, fieldName: fieldName, parentType: object.type.name, nodes: nodes,
            resolution: resolution,
            arguments: Self.plannedArguments(definition.arguments, node.arguments),
            completion: try completion(for: definition.type, subselections: subselections)
        )
    }

    static func plannedArguments(_ definitions: [ArgumentDefinition], _ nodes: [Argument]) -> PlannedArguments {
        if nodes.contains(where: { InputCoercion.usesVariables($0.value) }) {
            return .withVariables(definitions, nodes)
        }
        switch InputCoercion.argumentValues(definitions, nodes, variables: [:]) {
        case .success(let arguments): return .fixed(arguments)
        case .failure(let error): return .invalid(error)
        }
    }

    private mutating func completion(for type: any GraphQLType, subselections: [SelectionSet]) throws -> Completion {
        switch type {
        case let nonNull as GraphQLNonNull:
            return .nonNull(try completion(for: nonNull.ofType, subselections: subselections))
        case let list as GraphQLList:
            return .list(try completion(for: list.ofType, subselections: subselections))
        case let scalar as GraphQLScalarType:
            switch scalar.name {
            case "Int": return .leaf(.int)
            case "Float": return .leaf(.float)
            case "String": return .leaf(.string)
            case "Boolean": return .leaf(.boolean)
            case "ID": return .leaf(.id)
            default: return .leaf(.custom(scalar))
            }
        case let enumeration as GraphQLEnumType:
            return .leaf(.enumeration(enumeration, Set(enumeration.values.map(\.name))))
        case let objectType as GraphQLObjectType:
            guard let object = schema.objects[objectType.name] else {
                throw GraphQLError(message: "no resolvers for \(objectType.name)")
            }
            return .object(try selectionPlan(for: object, selectionSets: subselections))
        case let abstract as any GraphQLAbstractType:
            var plans: [String: SelectionPlan] = [:]
            for possible in schema.schema.getPossibleTypes(abstractType: abstract) {
                guard let object = schema.objects[possible.name] else { continue }
                plans[possible.name] = try selectionPlan(for: object, selectionSets: subselections)
            }
            return .abstract(name: abstract.name, plans: plans)
        default:
            throw GraphQLError(message: "\(type) is not an output type")
        }
    }
}
