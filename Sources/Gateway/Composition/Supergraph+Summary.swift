import OrderedCollections
extension Supergraph {
    /// A short human-readable account of the composition, for `emporium compose`: the
    /// subgraphs, and each entity with its keys per subgraph.
    public var summary: String {
        var lines = ["subgraphs:"]
        for subgraph in subgraphs {
            let ownedRoots = types.values.filter { ["Query", "Mutation"].contains($0.name) }
                .flatMap { root in root.fields.values.filter { $0.resolvingSubgraphs.contains(subgraph.name) }.map { "\(root.name).\($0.name)" } }
            lines.append("  \(subgraph.name) (\(subgraph.url ?? "in process")): \(ownedRoots.count) root fields")
        }
        let entities = types.values.filter(\.isEntity)
        lines.append("entities:")
        for entity in entities {
            let keys = entity.keys.map { "\($0.subgraph): \"\($0.fields)\"\($0.resolvable ? "" : " (not resolvable)")" }
            lines.append("  \(entity.name) — \(keys.joined(separator: ", "))")
        }
        lines.append("types: \(types.count), entities: \(entities.count)")
        return lines.joined(separator: "\n")
    }
}
