/// Whether one root fetch asks its subgraph exactly what the client asked, so that the
/// subgraph's answer already is the client's response and shaping it again would rebuild the
/// same bytes (`FederationGateway` then passes an error-free answer through as it is).
///
/// Conservative on purpose; any of these makes a plan ineligible:
/// - more than one fetch, or an entity fetch;
/// - a selection the planner added, dropped or merged (keys, `__typename` for abstract types,
///   fields of other subgraphs) — the fetch's selection set must mirror the client's item by
///   item: alias, name, arguments and sub-selections, in order;
/// - any `@skip`/`@include` (the shaper applies them with the request's variables);
/// - a fragment on an interface or union (which object types satisfy it is the supergraph's
///   answer, not the subgraph's).
/// Debug builds shape every passed-through answer as well and assert that the two agree.
enum VerbatimFetch {
    static func fetch(of root: PlanNode?, for operation: NormalizedOperation, in supergraph: Supergraph) -> FetchNode? {
        guard case .fetch(let fetch) = root, !fetch.isEntityFetch, fetch.conditions.isEmpty,
              mirrors(operation.selections, fetch.selections, supergraph) else { return nil }
        return fetch
    }

    private static func mirrors(_ client: [NormalizedSelection], _ sent: SubgraphSelectionSet, _ supergraph: Supergraph) -> Bool {
        guard client.count == sent.items.count else { return false }
        for (asked, item) in zip(client, sent.items) {
            switch (asked, item) {
            case (.field(let field), .field(let sentField)):
                guard field.conditions.isEmpty, sentField.conditions.isEmpty, field.alias == sentField.alias,
                      field.name == sentField.name, field.arguments == sentField.arguments,
                      mirrors(field.selections, sentField.selections ?? SubgraphSelectionSet(), supergraph) else { return false }
            case (.fragment(let fragment), .fragment(let sentFragment)):
                guard fragment.conditions.isEmpty, sentFragment.conditions.isEmpty,
                      fragment.typeCondition == sentFragment.typeCondition, supergraph.kind(of: fragment.typeCondition) == .object,
                      mirrors(fragment.selections, sentFragment.selections, supergraph) else { return false }
            default:
                return false
            }
        }
        return true
    }
}
