import GraphQL
import OrderedCollections

/// Builds the fetch groups for one normalized operation.
///
/// The walk follows the operation. At each field it asks whether the subgraph of the current
/// group can resolve it; if so the field joins that group's selection, otherwise the parent
/// object must be an entity: the current group also selects its key (and `@requires` fields),
/// and the field goes into a child group that fetches the entity from another subgraph through
/// `_entities`. Child groups are shared per (subgraph, path), which batches every entity at a
/// level into one call.
struct PlanBuilder {
    let supergraph: Supergraph
    let operation: NormalizedOperation
    private(set) var roots: [FetchGroup] = []
    /// Response keys the client gives to something other than the plain field of that name.
    /// Key fields the planner adds under such a name are aliased, so they never collide with
    /// the client's selection in any order or fragment.
    let reservedKeys: Set<String>

    init(supergraph: Supergraph, operation: NormalizedOperation) {
        self.supergraph = supergraph
        self.operation = operation
        var reserved: Set<String> = []
        Self.collectReservedKeys(operation.selections, into: &reserved)
        self.reservedKeys = reserved
    }

    private static func collectReservedKeys(_ selections: [NormalizedSelection], into keys: inout Set<String>) {
        for selection in selections {
            switch selection {
            case .field(let field):
                if field.responseKey != field.name || !field.arguments.isEmpty { keys.insert(field.responseKey) }
                collectReservedKeys(field.selections, into: &keys)
            case .fragment(let fragment):
                collectReservedKeys(fragment.selections, into: &keys)
            }
        }
    }

    mutating func build() throws(PlanningError) {
        for field in Self.rootFields(operation.selections, inherited: []) {
            try planRootField(field)
        }
    }

    /// Root fragments (only possible on the root type) dissolve into their fields, each keeping
    /// the fragment's conditions: then every root field can go to its own subgraph.
    static func rootFields(_ selections: [NormalizedSelection], inherited: [SelectionCondition]) -> [NormalizedField] {
        selections.flatMap { selection -> [NormalizedField] in
            switch selection {
            case .field(var field):
                field.conditions = inherited + field.conditions
                return [field]
            case .fragment(let fragment):
                return rootFields(fragment.selections, inherited: inherited + fragment.conditions)
            }
        }
    }

    private mutating func planRootField(_ field: NormalizedField) throws(PlanningError) {
        // The gateway answers these itself.
        guard !field.name.hasPrefix("__") else { return }
        let rootType = operation.rootType
        guard let definition = supergraph.field(field.name, on: rootType) else {
            throw .invalid("cannot query field '\(field.name)' on type '\(rootType)'")
        }
        let resolvers = definition.resolvingSubgraphs
        guard let first = resolvers.first else {
            throw .unplannable("no subgraph resolves '\(rootType).\(field.name)'")
        }
        let group: FetchGroup
        if operation.kind == .mutation {
            // Mutations run in document order: only consecutive fields of one subgraph share a fetch.
            if let last = roots.last, resolvers.contains(last.subgraph) {
                group = last
            } else {
                group = FetchGroup(subgraph: first, mergePath: [], isEntityFetch: false)
                roots.append(group)
            }
        } else if let existing = roots.first(where: { resolvers.contains($0.subgraph) }) {
            group = existing
        } else {
            group = FetchGroup(subgraph: first, mergePath: [], isEntityFetch: false)
            roots.append(group)
        }
        var selections = group.selections
        try plan([.field(field)], parentType: rootType, group: group, path: [], provided: nil, into: &selections)
        group.selections = selections
    }

    // MARK: - The walk

    func plan(
        _ selections: [NormalizedSelection], parentType: String, group: FetchGroup, path: [String],
        provided: [FieldSet.Node]?, into set: inout SubgraphSelectionSet
    ) throws(PlanningError) {
        guard let parent = supergraph.type(named: parentType) else {
            throw .invalid("unknown type '\(parentType)'")
        }
        for selection in selections {
            switch selection {
            case .field(let field):
                try planField(field, parent: parent, group: group, path: path, provided: provided, into: &set)
            case .fragment(let fragment):
                try planFragment(fragment, parent: parent, group: group, path: path, provided: provided, into: &set)
            }
        }
    }

    private func planField(
        _ field: NormalizedField, parent: SupergraphType, group: FetchGroup, path: [String],
        provided: [FieldSet.Node]?, into set: inout SubgraphSelectionSet
    ) throws(PlanningError) {
        let isInterfaceObject = parent.kind == .interface && parent.isInterfaceObject(in: group.subgraph)
        if field.name == "__typename" {
            if isInterfaceObject {
                // This subgraph would answer the interface's name, not the object's type.
                try planInterfaceObjectJump([.field(field)], interface: parent, group: group, path: path, provided: provided, into: &set)
                return
            }
            set.add(.init(alias: field.alias, name: field.name, arguments: "", conditions: field.conditions, variables: [], selections: nil))
            return
        }
        guard let definition = parent.fields[field.name] else {
            throw .invalid("cannot query field '\(field.name)' on type '\(parent.name)'")
        }
        if canResolve(definition, in: group.subgraph, provided: provided) {
            try addResolved(field, definition: definition, group: group, path: path, provided: provided, into: &set)
        } else if isInterfaceObject {
            try planInterfaceObjectJump([.field(field)], interface: parent, group: group, path: path, provided: provided, into: &set)
        } else if parent.kind.isAbstract {
            // The subgraph cannot answer the field for the interface as a whole: ask per
            // implementation, so each can be fetched from where it lives.
            set.addTypename()
            for objectType in supergraph.possibleTypes(of: parent.name) where supergraph.subgraph(group.subgraph, declares: objectType) {
                var inner = SubgraphSelectionSet()
                try plan([.field(field)], parentType: objectType, group: group, path: path, provided: provided, into: &inner)
                if !inner.isEmpty { set.add(.init(typeCondition: objectType, conditions: [], selections: inner)) }
            }
        } else {
            try planEntityJump(field, definition: definition, entity: parent, group: group, path: path, provided: provided, into: &set)
        }
    }

    /// Adds a field the group's subgraph resolves, planning its sub-selections.
    func addResolved(
        _ field: NormalizedField, definition: SupergraphField, group: FetchGroup, path: [String],
        provided: [FieldSet.Node]?, into set: inout SubgraphSelectionSet
    ) throws(PlanningError) {
        var child: SubgraphSelectionSet?
        if !field.selections.isEmpty {
            var childSet = SubgraphSelectionSet()
            let childType = definition.type.namedType
            if supergraph.type(named: childType)?.kind.isAbstract == true { childSet.addTypename() }
            // What a `@provides` above says about this field's children, plus the field's own.
            let inherited = provided?.first { $0.name == field.name }?.children ?? []
            let own = definition.resolutions[group.subgraph]?.provides.flatMap { supergraph.fieldSet($0) } ?? []
            let childProvided: [FieldSet.Node]? = inherited.isEmpty && own.isEmpty ? nil : inherited + own
            try plan(field.selections, parentType: childType, group: group, path: path + Self.pathSteps(field, definition.type),
                     provided: childProvided, into: &childSet)
            child = childSet
        }
        set.add(.init(alias: field.alias, name: field.name, arguments: field.arguments, conditions: field.conditions,
                      variables: field.argumentVariables, selections: child))
    }

    private func planFragment(
        _ fragment: NormalizedFragment, parent: SupergraphType, group: FetchGroup, path: [String],
        provided: [FieldSet.Node]?, into set: inout SubgraphSelectionSet
    ) throws(PlanningError) {
        if parent.kind == .object {
            // The runtime type is known: the fragment applies or never does.
            guard supergraph.objectType(parent.name, satisfies: fragment.typeCondition) else { return }
            if fragment.conditions.isEmpty {
                try plan(fragment.selections, parentType: parent.name, group: group, path: path, provided: provided, into: &set)
            } else {
                var inner = SubgraphSelectionSet()
                try plan(fragment.selections, parentType: parent.name, group: group, path: path, provided: provided, into: &inner)
                if !inner.isEmpty { set.add(.init(typeCondition: parent.name, conditions: fragment.conditions, selections: inner)) }
            }
            return
        }
        if parent.isInterfaceObject(in: group.subgraph) && fragment.typeCondition != parent.name {
            // Fragments on implementations need the real type, which only the interface's owner knows.
            try planInterfaceObjectJump([.fragment(fragment)], interface: parent, group: group, path: path, provided: provided, into: &set)
            return
        }
        set.addTypename()
        let possible = Set(supergraph.possibleTypes(of: parent.name))
        let targets: [String]
        if supergraph.subgraph(group.subgraph, declares: fragment.typeCondition) {
            targets = [fragment.typeCondition]
        } else {
            // A type this subgraph does not know: only its implementations it knows can appear.
            targets = supergraph.possibleTypes(of: fragment.typeCondition).filter {
                possible.contains($0) && supergraph.subgraph(group.subgraph, declares: $0)
            }
        }
        for target in targets {
            var inner = SubgraphSelectionSet()
            if supergraph.type(named: target)?.kind.isAbstract == true { inner.addTypename() }
            try plan(fragment.selections, parentType: target, group: group, path: path, provided: provided, into: &inner)
            if !inner.isEmpty { set.add(.init(typeCondition: target, conditions: fragment.conditions, selections: inner)) }
        }
    }

    /// A subgraph resolves a field when it declares it, not as `@external` (unless a `@provides`
    /// above says it does on this path), and without `@requires` (those need the representation).
    func canResolve(_ field: SupergraphField, in subgraph: String, provided: [FieldSet.Node]?) -> Bool {
        guard let resolution = field.resolutions[subgraph], resolution.requires == nil else { return false }
        if !resolution.external { return true }
        return provided?.contains { $0.name == field.name } ?? false
    }

    /// Response path steps a field adds: its response key, then `@` per list level.
    static func pathSteps(_ field: NormalizedField, _ type: TypeReference) -> [String] {
        var steps = [field.responseKey]
        var current = type
        while true {
            switch current {
            case .nonNull(let inner): current = inner
            case .list(let inner): steps.append("@"); current = inner
            case .named: return steps
            }
        }
    }
}
