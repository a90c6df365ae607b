import OrderedCollections

/// A fetch being planned. Reference type on purpose: the planner grows a tree of groups while it
/// walks the operation, and a group found again (same subgraph, same path) must be the same one,
/// so that all entities of one subgraph at one level go in one batched `_entities` call.
final class FetchGroup {
    let subgraph: String
    /// Where entity results merge; empty for root fetches.
    let mergePath: [String]
    let isEntityFetch: Bool
    var selections = SubgraphSelectionSet()
    /// Entity fetches: the selection per entity type, `... on Product { … }`.
    var entitySelections: OrderedDictionary<String, SubgraphSelectionSet> = [:]
    /// Entity fetches: the representation fields per entity type.
    var requires: OrderedDictionary<String, [RepresentationField]> = [:]
    /// Entity fetches: the `__typename` to send per runtime type when the subgraph knows the
    /// entity only as an `@interfaceObject` (it is asked for the interface).
    var representationTypenames: [String: String] = [:]
    private(set) var children: [FetchGroup] = []
    /// Sibling groups that fetch this group's `@requires` fields: they run first.
    private(set) var dependencies: [FetchGroup] = []

    init(subgraph: String, mergePath: [String], isEntityFetch: Bool) {
        self.subgraph = subgraph
        self.mergePath = mergePath
        self.isEntityFetch = isEntityFetch
    }

    func existingChild(subgraph: String, path: [String]) -> FetchGroup? {
        children.first { $0.subgraph == subgraph && $0.mergePath == path }
    }

    func child(subgraph: String, path: [String]) -> FetchGroup {
        if let existing = existingChild(subgraph: subgraph, path: path) { return existing }
        let group = FetchGroup(subgraph: subgraph, mergePath: path, isEntityFetch: true)
        children.append(group)
        return group
    }

    func addDependency(_ group: FetchGroup) {
        if !dependencies.contains(where: { $0 === group }) { dependencies.append(group) }
    }

    func addRepresentation(_ fields: [RepresentationField], for type: String, sendingTypename: String? = nil) {
        if let sendingTypename { representationTypenames[type] = sendingTypename }
        var current = requires[type] ?? [RepresentationField(name: "__typename", responseKey: "__typename", children: [])]
        for field in fields where !current.contains(where: { $0.name == field.name }) {
            current.append(field)
        }
        requires[type] = current
    }
}
