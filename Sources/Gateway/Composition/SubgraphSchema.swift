import GraphQL
import OrderedCollections

/// One subgraph's types with their federation directives decoded: the input to merging.
struct SubgraphSchema {
    struct Field {
        var name: String
        var type: TypeReference
        var arguments: [InputValue]
        var description: String?
        var deprecationReason: String?
        var shareable: Bool
        var external: Bool
        var requires: String?
        var provides: String?
        var inaccessible: Bool
        var overrideFrom: String?
    }

    struct TypeDecl {
        var name: String
        var kind: TypeKind
        var description: String?
        var shareable = false
        /// `@interfaceObject`: this subgraph sees an entity interface as an object type.
        var isInterfaceObject = false
        var inaccessible = false
        var keys: [(fields: String, resolvable: Bool)] = []
        var interfaces: [String] = []
        var unionMembers: [String] = []
        var enumValues: [EnumValue] = []
        var inputFields: [InputValue] = []
        var fields: OrderedDictionary<String, Field> = [:]
    }

    let name: String
    var types: OrderedDictionary<String, TypeDecl> = [:]

    /// Names of federation machinery that subgraphs declare but clients never see.
    static let internalTypes: Set<String> = [
        "_Service", "_Entity", "_Any", "_FieldSet", "FieldSet", "link__Import", "link__Purpose",
        "federation__FieldSet", "federation__Scope", "federation__Policy", "federation__ContextFieldValue",
    ]
    static let builtInScalars: Set<String> = ["String", "Int", "Float", "Boolean", "ID"]
}

extension SubgraphSchema {
    /// Reads a subgraph's SDL. Types and `extend type` blocks of the same name merge; root types
    /// renamed with `schema { query: … }` are read as `Query`/`Mutation`/`Subscription`.
    static func read(_ subgraph: SubgraphSDL) throws(CompositionError) -> SubgraphSchema {
        let document: Document
        do {
            document = try parse(source: Source(body: subgraph.sdl, name: subgraph.name))
        } catch {
            throw CompositionError(.invalidSDL, "subgraph '\(subgraph.name)' has invalid SDL: \(error)", subgraphs: [subgraph.name])
        }
        let federation = try FederationDirectives.read(document, subgraph: subgraph.name)
        var rootRenames: [String: String] = [:]
        for definition in document.definitions {
            let operationTypes = (definition as? SchemaDefinition)?.operationTypes
                ?? (definition as? SchemaExtensionDefinition)?.definition.operationTypes ?? []
            for operationType in operationTypes {
                let canonical = switch operationType.operation {
                case .query: "Query"
                case .mutation: "Mutation"
                case .subscription: "Subscription"
                }
                rootRenames[operationType.type.name.value] = canonical
            }
        }
        var reader = Reader(schema: SubgraphSchema(name: subgraph.name), federation: federation, rootRenames: rootRenames)
        for definition in document.definitions {
            try reader.add(definition)
        }
        reader.schema.types["Query"]?.fields.removeValue(forKey: "_service")
        reader.schema.types["Query"]?.fields.removeValue(forKey: "_entities")
        if reader.schema.types["Query"]?.fields.isEmpty == true { reader.schema.types.removeValue(forKey: "Query") }
        return reader.schema
    }

    private struct Reader {
        var schema: SubgraphSchema
        let federation: FederationDirectives
        let rootRenames: [String: String]

        func typeName(_ name: String) -> String { rootRenames[name] ?? name }

        mutating func add(_ definition: any Definition) throws(CompositionError) {
            switch definition {
            case let object as ObjectTypeDefinition:
                try addObject(object, kind: .object)
            case let extensionDefinition as TypeExtensionDefinition:
                try addObject(extensionDefinition.definition, kind: .object)
            case let interface as InterfaceTypeDefinition:
                try addFields(interface.name.value, .interface, interface.description, interface.directives, interface.interfaces, interface.fields)
            case let extensionDefinition as InterfaceExtensionDefinition:
                let interface = extensionDefinition.definition
                try addFields(interface.name.value, .interface, interface.description, interface.directives, interface.interfaces, interface.fields)
            case let union as UnionTypeDefinition:
                addUnion(union)
            case let extensionDefinition as UnionExtensionDefinition:
                addUnion(extensionDefinition.definition)
            case let enumeration as EnumTypeDefinition:
                addEnum(enumeration)
            case let extensionDefinition as EnumExtensionDefinition:
                addEnum(extensionDefinition.definition)
            case let input as InputObjectTypeDefinition:
                addInput(input)
            case let extensionDefinition as InputObjectExtensionDefinition:
                addInput(extensionDefinition.definition)
            case let scalar as ScalarTypeDefinition:
                let name = scalar.name.value
                guard !SubgraphSchema.builtInScalars.contains(name), !isInternal(name) else { return }
                var decl = schema.types[name] ?? TypeDecl(name: name, kind: .scalar)
                decl.description = decl.description ?? scalar.description?.value
                decl.inaccessible = decl.inaccessible || federation.has(scalar.directives, "inaccessible")
                schema.types[name] = decl
            default:
                // Schema definitions, directive definitions: already read or not part of the graph.
                return
            }
        }

        func isInternal(_ name: String) -> Bool {
            SubgraphSchema.internalTypes.contains(name) || name.hasPrefix("federation__") || name.hasPrefix("link__")
        }

        mutating func addObject(_ object: ObjectTypeDefinition, kind: TypeKind) throws(CompositionError) {
            try addFields(object.name.value, kind, object.description, object.directives, object.interfaces, object.fields)
        }

        mutating func addFields(
            _ rawName: String, _ kind: TypeKind, _ description: StringValue?, _ directives: [Directive],
            _ interfaces: [NamedType], _ fields: [FieldDefinition]
        ) throws(CompositionError) {
            let name = typeName(rawName)
            guard !isInternal(name) else { return }
            var decl = schema.types[name] ?? TypeDecl(name: name, kind: kind)
            if decl.kind != kind {
                throw CompositionError(.typeKindMismatch, "subgraph '\(schema.name)' declares '\(name)' both as \(decl.kind.rawValue) and \(kind.rawValue)", subgraphs: [schema.name], coordinate: name)
            }
            decl.description = decl.description ?? description?.value
            let typeShareable = federation.has(directives, "shareable")
            let typeExternal = federation.has(directives, "external")
            decl.shareable = decl.shareable || typeShareable
            decl.isInterfaceObject = decl.isInterfaceObject || federation.has(directives, "interfaceObject")
            decl.inaccessible = decl.inaccessible || federation.has(directives, "inaccessible")
            for key in federation.directives(directives, named: "key") {
                guard let fields = FederationDirectives.stringArgument(key, "fields") else {
                    throw CompositionError(.keyInvalidFields, "subgraph '\(schema.name)': @key on '\(name)' has no 'fields' string", subgraphs: [schema.name], coordinate: name)
                }
                decl.keys.append((fields, FederationDirectives.boolArgument(key, "resolvable") ?? true))
            }
            for interface in interfaces where !decl.interfaces.contains(interface.name.value) {
                decl.interfaces.append(interface.name.value)
            }
            for field in fields {
                let fieldDirectives = field.directives
                let deprecated = fieldDirectives.first { $0.name.value == "deprecated" }
                decl.fields[field.name.value] = Field(
                    name: field.name.value,
                    type: TypeReference(field.type).renamingRoots(rootRenames),
                    arguments: field.arguments.map { inputValue($0) },
                    description: field.description?.value,
                    deprecationReason: deprecated.map { FederationDirectives.stringArgument($0, "reason") ?? "No longer supported" },
                    shareable: typeShareable || federation.has(fieldDirectives, "shareable"),
                    external: typeExternal || federation.has(fieldDirectives, "external"),
                    requires: federation.directives(fieldDirectives, named: "requires").first.flatMap { FederationDirectives.stringArgument($0, "fields") },
                    provides: federation.directives(fieldDirectives, named: "provides").first.flatMap { FederationDirectives.stringArgument($0, "fields") },
                    inaccessible: federation.has(fieldDirectives, "inaccessible"),
                    overrideFrom: federation.directives(fieldDirectives, named: "override").first.flatMap { FederationDirectives.stringArgument($0, "from") }
                )
            }
            schema.types[name] = decl
        }

        func inputValue(_ definition: InputValueDefinition) -> InputValue {
            InputValue(
                name: definition.name.value, type: TypeReference(definition.type),
                defaultValue: definition.defaultValue.map { print(ast: $0) },
                description: definition.description?.value,
                inaccessible: federation.has(definition.directives, "inaccessible")
            )
        }

        mutating func addUnion(_ union: UnionTypeDefinition) {
            let name = union.name.value
            guard !isInternal(name) else { return }
            var decl = schema.types[name] ?? TypeDecl(name: name, kind: .union)
            decl.description = decl.description ?? union.description?.value
            decl.inaccessible = decl.inaccessible || federation.has(union.directives, "inaccessible")
            for member in union.types where !decl.unionMembers.contains(member.name.value) {
                decl.unionMembers.append(member.name.value)
            }
            schema.types[name] = decl
        }

        mutating func addEnum(_ enumeration: EnumTypeDefinition) {
            let name = enumeration.name.value
            guard !isInternal(name) else { return }
            var decl = schema.types[name] ?? TypeDecl(name: name, kind: .enumeration)
            decl.description = decl.description ?? enumeration.description?.value
            decl.inaccessible = decl.inaccessible || federation.has(enumeration.directives, "inaccessible")
            for value in enumeration.values where !decl.enumValues.contains(where: { $0.name == value.name.value }) {
                let deprecated = value.directives.first { $0.name.value == "deprecated" }
                decl.enumValues.append(EnumValue(
                    name: value.name.value, description: value.description?.value,
                    deprecationReason: deprecated.map { FederationDirectives.stringArgument($0, "reason") ?? "No longer supported" },
                    inaccessible: federation.has(value.directives, "inaccessible")
                ))
            }
            schema.types[name] = decl
        }

        mutating func addInput(_ input: InputObjectTypeDefinition) {
            let name = input.name.value
            guard !isInternal(name) else { return }
            var decl = schema.types[name] ?? TypeDecl(name: name, kind: .inputObject)
            decl.description = decl.description ?? input.description?.value
            decl.inaccessible = decl.inaccessible || federation.has(input.directives, "inaccessible")
            for field in input.fields where !decl.inputFields.contains(where: { $0.name == field.name.value }) {
                decl.inputFields.append(inputValue(field))
            }
            schema.types[name] = decl
        }
    }
}

extension TypeReference {
    func renamingRoots(_ renames: [String: String]) -> TypeReference {
        guard !renames.isEmpty else { return self }
        switch self {
        case .named(let name): return .named(renames[name] ?? name)
        case .list(let inner): return .list(inner.renamingRoots(renames))
        case .nonNull(let inner): return .nonNull(inner.renamingRoots(renames))
        }
    }
}
