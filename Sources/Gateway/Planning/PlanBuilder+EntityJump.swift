import OrderedCollections
extension PlanBuilder {
    /// Plans a field the current subgraph cannot resolve on an entity: select the entity's key
    /// (and the field's `@requires`) here, and fetch the field from a subgraph that resolves it
    /// through `_entities`.
    @discardableResult
    func planEntityJump(
        _ field: NormalizedField, definition: SupergraphField, entity: SupergraphType, group: FetchGroup,
        path: [String], provided: [FieldSet.Node]?, into set: inout SubgraphSelectionSet
    ) throws(PlanningError) -> FetchGroup {
        let coordinate = "\(entity.name).\(field.name)"
        guard entity.isEntity else {
            throw .unplannable("subgraph '\(group.subgraph)' cannot resolve '\(coordinate)', and '\(entity.name)' is not an entity, so no other subgraph can be asked for it")
        }
        // The current subgraph is a candidate only for a field it resolves with `@requires`:
        // it then gets the entity back with the required fields in the representation.
        let candidates = definition.resolutions.filter { !$0.value.external && ($0.key != group.subgraph || $0.value.requires != nil) }.map(\.key)
        // A subgraph already fetched at this path comes first: its call gets one more field
        // instead of a new call being made.
        let ordered = candidates.filter { group.existingChild(subgraph: $0, path: path) != nil }
            + candidates.filter { group.existingChild(subgraph: $0, path: path) == nil }
        var problem = "no subgraph with a resolvable @key for '\(entity.name)' resolves it"
        // First a key the current subgraph has; failing that, one whose missing fields another
        // subgraph provides in one more hop (fetched first, like `@requires` fields).
        for allowsHop in [false, true] {
            for target in ordered {
                // A subgraph that resolves the field through an `@interfaceObject` is asked for
                // the interface, by the interface's key.
                let viaInterface = definition.resolutions[target]?.interfaceObject.flatMap { supergraph.type(named: $0) }
                let keyOwner = viaInterface ?? entity
                for key in keyOwner.resolvableKeys(in: target) {
                    guard let keyNodes = supergraph.fieldSet(key.fields) else { continue }
                    let obtainable = allowsHop
                        ? keyNodes.allSatisfy { fieldSetResolvable([$0], on: entity.name, in: group.subgraph, provided: provided) || fetchableInOneHop($0, of: entity, from: group.subgraph, provided: provided) }
                        : fieldSetResolvable(keyNodes, on: entity.name, in: group.subgraph, provided: provided)
                    guard obtainable else {
                        problem = "subgraph '\(group.subgraph)' cannot provide the key '\(key.fields)' that subgraph '\(target)' needs"
                        continue
                    }
                    let requires = definition.resolutions[target]?.requires.flatMap { supergraph.fieldSet($0) } ?? []
                    set.addTypename()
                    var representation: [RepresentationField] = []
                    var dependencies: [FetchGroup] = []
                    for node in keyNodes + requires {
                        if fieldSetResolvable([node], on: entity.name, in: group.subgraph, provided: provided) {
                            representation.append(addLocally(node, into: &set))
                            continue
                        }
                        // Fields the current subgraph does not have come from a sibling entity
                        // fetch at the same path, which must finish first.
                        guard let missing = normalizedField(for: node, on: entity.name), let missingDefinition = entity.fields[node.name] else {
                            throw .unplannable("'\(coordinate)' needs '\(node.name)', which '\(entity.name)' does not have")
                        }
                        let dependency = try planEntityJump(missing, definition: missingDefinition, entity: entity, group: group, path: path, provided: provided, into: &set)
                        dependencies.append(dependency)
                        representation.append(RepresentationField(name: node.name, responseKey: missing.responseKey, children: node.children.map(Self.representationField)))
                    }
                    let child = group.child(subgraph: target, path: path)
                    for dependency in dependencies where dependency !== child { child.addDependency(dependency) }
                    child.addRepresentation(representation, for: entity.name, sendingTypename: viaInterface?.name)
                    let selectedType = viaInterface?.name ?? entity.name
                    var inner = child.entitySelections[selectedType] ?? SubgraphSelectionSet()
                    try addResolved(field, definition: definition, group: child, path: path, provided: nil, into: &inner)
                    child.entitySelections[selectedType] = inner
                    return child
                }
            }
        }
        throw .unplannable("cannot plan '\(coordinate)' from subgraph '\(group.subgraph)': \(problem)")
    }

    /// Plans selections on an entity interface that the current subgraph knows only as an
    /// `@interfaceObject`: it cannot tell the implementation apart, so a subgraph that owns the
    /// interface (with a resolvable `@key` on it) is asked, and also answers the real `__typename`.
    func planInterfaceObjectJump(
        _ selections: [NormalizedSelection], interface: SupergraphType, group: FetchGroup, path: [String],
        provided: [FieldSet.Node]?, into set: inout SubgraphSelectionSet
    ) throws(PlanningError) {
        let owners = interface.keys.filter { $0.resolvable && $0.subgraph != group.subgraph && !interface.isInterfaceObject(in: $0.subgraph) }
        for key in owners {
            guard let keyNodes = supergraph.fieldSet(key.fields),
                  fieldSetResolvable(keyNodes, on: interface.name, in: group.subgraph, provided: provided) else { continue }
            set.addTypename()
            let representation = keyNodes.map { addLocally($0, into: &set) }
            let child = group.child(subgraph: key.subgraph, path: path)
            child.addRepresentation(representation, for: interface.name)
            var inner = child.entitySelections[interface.name] ?? SubgraphSelectionSet()
            inner.addTypename()
            try plan(selections, parentType: interface.name, group: child, path: path, provided: nil, into: &inner)
            child.entitySelections[interface.name] = inner
            return
        }
        throw .unplannable("subgraph '\(group.subgraph)' knows '\(interface.name)' only as an @interfaceObject, and no subgraph owning the interface has a @key it can provide")
    }

    /// Whether another subgraph can fetch a field of `entity` by a key the current subgraph has.
    private func fetchableInOneHop(_ node: FieldSet.Node, of entity: SupergraphType, from subgraph: String, provided: [FieldSet.Node]?) -> Bool {
        guard let field = entity.fields[node.name] else { return false }
        return field.resolutions.contains { other, resolution in
            guard other != subgraph, !resolution.external, resolution.requires == nil, resolution.interfaceObject == nil else { return false }
            return entity.resolvableKeys(in: other).contains { key in
                (supergraph.fieldSet(key.fields)).map { fieldSetResolvable($0, on: entity.name, in: subgraph, provided: provided) } ?? false
            }
        }
    }

    /// Selects a key or required field in the current fetch and says where to read it.
    private func addLocally(_ node: FieldSet.Node, into set: inout SubgraphSelectionSet) -> RepresentationField {
        // A client alias may use the name for another field; read ours under another.
        let responseKey = reservedKeys.contains(node.name) ? "_gw_key_\(node.name)" : node.name
        set.add(selection(for: node, alias: responseKey == node.name ? nil : responseKey))
        return RepresentationField(name: node.name, responseKey: responseKey, children: node.children.map(Self.representationField))
    }

    /// A field set entry as if the client had selected it, so it can be planned like one.
    private func normalizedField(for node: FieldSet.Node, on typeName: String) -> NormalizedField? {
        guard let definition = supergraph.field(node.name, on: typeName) else { return nil }
        let children = node.children.compactMap { normalizedField(for: $0, on: definition.type.namedType) }
        guard children.count == node.children.count else { return nil }
        return NormalizedField(
            alias: reservedKeys.contains(node.name) ? "_gw_key_\(node.name)" : nil, name: node.name, arguments: "", argumentVariables: [],
            conditions: [], type: definition.type, selections: children.map { .field($0) }, listSize: nil
        )
    }

    private func fieldSetResolvable(_ nodes: [FieldSet.Node], on typeName: String, in subgraph: String, provided: [FieldSet.Node]?) -> Bool {
        nodes.allSatisfy { node in
            guard let field = supergraph.field(node.name, on: typeName), canResolve(field, in: subgraph, provided: provided) else { return false }
            let nested = provided?.first { $0.name == node.name }?.children
            return fieldSetResolvable(node.children, on: field.type.namedType, in: subgraph, provided: nested)
        }
    }

    private func selection(for node: FieldSet.Node, alias: String?) -> SubgraphSelectionSet.Field {
        var children: SubgraphSelectionSet?
        if !node.children.isEmpty {
            var set = SubgraphSelectionSet()
            for child in node.children { set.add(selection(for: child, alias: nil)) }
            children = set
        }
        return .init(alias: alias, name: node.name, arguments: "", conditions: [], variables: [], selections: children)
    }

    private static func representationField(_ node: FieldSet.Node) -> RepresentationField {
        RepresentationField(name: node.name, responseKey: node.name, children: node.children.map(representationField))
    }
}
