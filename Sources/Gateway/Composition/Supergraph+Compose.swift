import OrderedCollections

extension Supergraph {
    /// Composes subgraphs into a supergraph.
    ///
    /// Types of the same name merge; each field records which subgraphs resolve it and how
    /// (`@external`, `@requires`, `@provides`); entities record their `@key`s per subgraph.
    /// Throws every problem found, not just the first, each naming subgraphs and fields.
    public static func compose(_ subgraphs: [SubgraphSDL]) throws(CompositionError) -> Supergraph {
        var schemas: [SubgraphSchema] = []
        var issues: [CompositionError.Issue] = []
        for subgraph in subgraphs {
            if schemas.contains(where: { $0.name == subgraph.name }) {
                issues.append(.init(code: .duplicateSubgraph, message: "two subgraphs are named '\(subgraph.name)'", subgraphs: [subgraph.name], coordinate: nil))
                continue
            }
            do {
                schemas.append(try SubgraphSchema.read(subgraph))
            } catch {
                issues.append(contentsOf: error.issues)
            }
        }
        guard issues.isEmpty else { throw CompositionError(issues: issues) }
        var merger = Merger(schemas: schemas)
        merger.merge()
        merger.validate()
        guard merger.issues.isEmpty else { throw CompositionError(issues: merger.issues) }
        return try Supergraph(subgraphs: subgraphs.map { Subgraph(name: $0.name, url: $0.url) }, types: merger.types)
    }
}

/// Merges subgraph schemas type by type, collecting issues instead of stopping at the first.
struct Merger {
    let schemas: [SubgraphSchema]
    var types: OrderedDictionary<String, SupergraphType> = [:]
    var issues: [CompositionError.Issue] = []

    init(schemas: [SubgraphSchema]) {
        self.schemas = schemas
    }

    mutating func issue(_ code: CompositionError.Issue.Code, _ message: String, _ subgraphs: [String], _ coordinate: String?) {
        issues.append(.init(code: code, message: message, subgraphs: subgraphs, coordinate: coordinate))
    }

    func declaration(_ type: String, in subgraph: String) -> SubgraphSchema.TypeDecl? {
        schemas.first { $0.name == subgraph }?.types[type]
    }

    mutating func merge() {
        // Root types first, so the API schema reads Query, Mutation, then the rest.
        let roots = ["Query", "Mutation", "Subscription"]
        for schema in schemas {
            for name in roots where schema.types[name] != nil && types[name] == nil {
                types[name] = SupergraphType(name: name, kind: .object)
            }
        }
        for schema in schemas {
            for decl in schema.types.values {
                mergeType(decl, from: schema.name)
            }
        }
        intersectInputFields()
        applyOverrides()
        distributeInterfaceObjectFields()
    }

    /// Fields an `@interfaceObject` subgraph adds to an interface belong to every implementation
    /// too; that subgraph resolves them for any of them when asked for the interface.
    private mutating func distributeInterfaceObjectFields() {
        for interface in types.values where interface.kind == .interface && !interface.interfaceObjectSubgraphs.isEmpty {
            let implementations = types.values.filter { $0.kind == .object && $0.interfaces.contains(interface.name) }.map(\.name)
            for field in interface.fields.values {
                for subgraph in interface.interfaceObjectSubgraphs {
                    guard let resolution = field.resolutions[subgraph], !resolution.external else { continue }
                    var viaInterface = resolution
                    viaInterface.interfaceObject = interface.name
                    for implementation in implementations {
                        var merged = types[implementation]?.fields[field.name] ?? SupergraphField(
                            name: field.name, type: field.type, arguments: field.arguments, description: field.description,
                            deprecationReason: field.deprecationReason, inaccessible: field.inaccessible, resolutions: [:]
                        )
                        if merged.resolutions[subgraph] == nil { merged.resolutions[subgraph] = viaInterface }
                        types[implementation]?.fields[field.name] = merged
                    }
                }
            }
        }
    }

    private mutating func mergeType(_ decl: SubgraphSchema.TypeDecl, from subgraph: String) {
        // An `@interfaceObject` is the subgraph's object view of an entity interface.
        let kind: TypeKind = decl.isInterfaceObject ? .interface : decl.kind
        var type = types[decl.name] ?? SupergraphType(name: decl.name, kind: kind)
        if type.kind != kind && !type.subgraphs.isEmpty {
            issue(.typeKindMismatch, "type '\(decl.name)' is \(type.kind.rawValue) in subgraphs \(list(type.subgraphs)) but \(decl.kind.rawValue) in subgraph '\(subgraph)'", type.subgraphs + [subgraph], decl.name)
            return
        }
        type.kind = kind
        type.subgraphs.append(subgraph)
        if decl.isInterfaceObject { type.interfaceObjectSubgraphs.append(subgraph) }
        type.description = type.description ?? decl.description
        type.inaccessible = type.inaccessible || decl.inaccessible
        for interface in decl.interfaces where !type.interfaces.contains(interface) { type.interfaces.append(interface) }
        for member in decl.unionMembers where !type.unionMembers.contains(member) { type.unionMembers.append(member) }
        for value in decl.enumValues {
            if let index = type.enumValues.firstIndex(where: { $0.name == value.name }) {
                type.enumValues[index].inaccessible = type.enumValues[index].inaccessible || value.inaccessible
            } else {
                type.enumValues.append(value)
            }
        }
        for field in decl.inputFields where !type.inputFields.contains(where: { $0.name == field.name }) {
            type.inputFields.append(field)
        }
        for key in decl.keys {
            type.keys.append(EntityKey(subgraph: subgraph, fields: key.fields, resolvable: key.resolvable))
        }
        for field in decl.fields.values {
            // Federation v1 marks key fields of extended entities `@external`, yet the subgraph
            // returns them in every reference it sends: they count as resolved there.
            let external = field.external && !isKeyField(field.name, of: decl)
            let resolution = FieldResolution(external: external, requires: field.requires, provides: field.provides)
            guard var merged = type.fields[field.name] else {
                type.fields[field.name] = SupergraphField(
                    name: field.name, type: field.type, arguments: field.arguments, description: field.description,
                    deprecationReason: field.deprecationReason, inaccessible: field.inaccessible, resolutions: [subgraph: resolution]
                )
                continue
            }
            if merged.type != field.type {
                if let loosened = merged.type.mergingNullability(field.type) {
                    merged.type = loosened
                } else {
                    let others = merged.resolutions.keys.map { "'\($0)'" }.joined(separator: ", ")
                    issue(.fieldTypeMismatch, "field '\(decl.name).\(field.name)' has type '\(merged.type)' in subgraph(s) \(others) but '\(field.type)' in subgraph '\(subgraph)'", Array(merged.resolutions.keys) + [subgraph], "\(decl.name).\(field.name)")
                }
            }
            for argument in field.arguments where !merged.arguments.contains(where: { $0.name == argument.name }) {
                merged.arguments.append(argument)
            }
            merged.description = merged.description ?? field.description
            merged.deprecationReason = merged.deprecationReason ?? field.deprecationReason
            merged.inaccessible = merged.inaccessible || field.inaccessible
            merged.resolutions[subgraph] = resolution
            type.fields[field.name] = merged
        }
        types[decl.name] = type
    }

    /// Input types keep only the fields every declaring subgraph accepts: a field one subgraph
    /// does not know could not be forwarded to it.
    private mutating func intersectInputFields() {
        for (name, type) in types where type.kind == .inputObject {
            let declarations = type.subgraphs.compactMap { declaration(name, in: $0) }
            types[name]?.inputFields = type.inputFields.filter { field in
                declarations.allSatisfy { $0.inputFields.contains { $0.name == field.name } }
            }
        }
    }

    /// `@override(from: "x")` moves a field: subgraph x no longer resolves it.
    private mutating func applyOverrides() {
        for schema in schemas {
            for decl in schema.types.values {
                for field in decl.fields.values {
                    guard let from = field.overrideFrom else { continue }
                    types[decl.name]?.fields[field.name]?.resolutions.removeValue(forKey: from)
                }
            }
        }
    }

    func list(_ subgraphs: [String]) -> String {
        subgraphs.map { "'\($0)'" }.joined(separator: ", ")
    }
}

extension TypeReference {
    /// Two output types that differ only in nullability merge into the more nullable one: every
    /// subgraph's value fits it. Anything else is a conflict.
    func mergingNullability(_ other: TypeReference) -> TypeReference? {
        switch (self, other) {
        case (.named(let a), .named(let b)): return a == b ? self : nil
        case (.nonNull(let a), .nonNull(let b)): return a.mergingNullability(b).map { .nonNull($0) }
        case (.nonNull(let a), _): return a.mergingNullability(other)
        case (_, .nonNull(let b)): return mergingNullability(b)
        case (.list(let a), .list(let b)): return a.mergingNullability(b).map { .list($0) }
        default: return nil
        }
    }
}
