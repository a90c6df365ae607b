import OrderedCollections
extension Merger {
    /// The checks that need every subgraph merged first.
    mutating func validate() {
        if types["Query"] == nil {
            issue(.noQueryRoot, "no subgraph defines a Query field", schemas.map(\.name), "Query")
        }
        for type in types.values {
            validateSharing(type)
            validateExternals(type)
            validateValueTypeFields(type)
            validateKeys(type)
            validateFieldSets(type)
            validateInaccessibleReferences(type)
        }
    }

    /// A field resolved by several subgraphs must be `@shareable` in each (key fields are
    /// implicitly shareable): otherwise two teams own one field and their answers may differ.
    private mutating func validateSharing(_ type: SupergraphType) {
        guard type.kind == .object else { return }
        for field in type.fields.values {
            let resolvers = field.resolvingSubgraphs
            guard resolvers.count > 1 else { continue }
            let unshared = resolvers.filter { subgraph in
                guard let decl = declaration(type.name, in: subgraph), let declared = decl.fields[field.name] else { return false }
                return !declared.shareable && !isKeyField(field.name, of: decl)
            }
            guard !unshared.isEmpty else { continue }
            issue(
                .invalidFieldSharing,
                "non-shareable field '\(type.name).\(field.name)' is resolved from subgraphs \(list(resolvers)) and is not @shareable in \(list(unshared))",
                resolvers, "\(type.name).\(field.name)"
            )
        }
    }

    /// An `@external` field must be resolved somewhere: it promises the value comes from
    /// another subgraph.
    private mutating func validateExternals(_ type: SupergraphType) {
        for field in type.fields.values where !field.resolutions.isEmpty && field.resolvingSubgraphs.isEmpty {
            let subgraphs = Array(field.resolutions.keys)
            issue(.externalMissingOnBase, "field '\(type.name).\(field.name)' is @external in \(list(subgraphs)) but no subgraph resolves it", subgraphs, "\(type.name).\(field.name)")
        }
    }

    /// A value type (no key) shared by several subgraphs is fetched whole from whichever subgraph
    /// returned it: a field one of them lacks could never be resolved for its values.
    private mutating func validateValueTypeFields(_ type: SupergraphType) {
        guard type.kind == .object, !type.isEntity, type.subgraphs.count > 1, !["Query", "Mutation", "Subscription"].contains(type.name) else { return }
        for field in type.fields.values {
            let missing = type.subgraphs.filter { field.resolutions[$0].map(\.external) ?? true }
            guard !missing.isEmpty else { continue }
            issue(
                .satisfiability,
                "field '\(type.name).\(field.name)' cannot be resolved when '\(type.name)' comes from \(list(missing)): '\(type.name)' has no @key, so it cannot be fetched from \(list(field.resolvingSubgraphs)) instead",
                type.subgraphs, "\(type.name).\(field.name)"
            )
        }
    }

    func isKeyField(_ field: String, of decl: SubgraphSchema.TypeDecl) -> Bool {
        decl.keys.contains { key in
            ((try? FieldSet(parsing: key.fields))?.nodes ?? []).contains { $0.name == field }
        }
    }

    /// Every `@key` names fields the type has in that subgraph, and some subgraph can resolve
    /// the entity by key; otherwise the gateway could never fetch the fields it owns elsewhere.
    private mutating func validateKeys(_ type: SupergraphType) {
        guard type.isEntity else { return }
        for key in type.keys {
            guard let fieldSet = try? FieldSet(parsing: key.fields) else {
                issue(.keyInvalidFields, "@key(fields: \"\(key.fields)\") on '\(type.name)' in subgraph '\(key.subgraph)' is not a valid field set", [key.subgraph], type.name)
                continue
            }
            if let missing = missingField(fieldSet.nodes, on: type.name, in: key.subgraph) {
                issue(.keyInvalidFields, "@key(fields: \"\(key.fields)\") on '\(type.name)' in subgraph '\(key.subgraph)' names field '\(missing)', which the type does not define there", [key.subgraph], type.name)
            }
        }
        if !type.keys.contains(where: \.resolvable) {
            let subgraphs = Array(Set(type.keys.map(\.subgraph))).sorted()
            issue(.entityNotResolvable, "no subgraph can resolve entity '\(type.name)': every @key (in \(list(subgraphs))) has resolvable: false", subgraphs, type.name)
        }
    }

    /// `@requires` names `@external` fields of the same type; `@provides` names fields of the
    /// returned type. Both in the declaring subgraph.
    private mutating func validateFieldSets(_ type: SupergraphType) {
        for field in type.fields.values {
            for (subgraph, resolution) in field.resolutions {
                let coordinate = "\(type.name).\(field.name)"
                if let requires = resolution.requires {
                    if let fieldSet = try? FieldSet(parsing: requires) {
                        if let missing = missingField(fieldSet.nodes, on: type.name, in: subgraph) {
                            issue(.requiresInvalidFields, "@requires(fields: \"\(requires)\") on '\(coordinate)' in subgraph '\(subgraph)' names field '\(missing)', which '\(type.name)' does not define there", [subgraph], coordinate)
                        } else if let local = fieldSet.nodes.first(where: { declaration(type.name, in: subgraph)?.fields[$0.name]?.external == false }) {
                            issue(.requiresInvalidFields, "@requires(fields: \"\(requires)\") on '\(coordinate)' in subgraph '\(subgraph)' names '\(local.name)', which is not @external there", [subgraph], coordinate)
                        }
                    } else {
                        issue(.requiresInvalidFields, "@requires(fields: \"\(requires)\") on '\(coordinate)' in subgraph '\(subgraph)' is not a valid field set", [subgraph], coordinate)
                    }
                }
                if let provides = resolution.provides {
                    let target = field.type.namedType
                    if let fieldSet = try? FieldSet(parsing: provides) {
                        if let missing = missingField(fieldSet.nodes, on: target, in: subgraph) {
                            issue(.providesInvalidFields, "@provides(fields: \"\(provides)\") on '\(coordinate)' in subgraph '\(subgraph)' names field '\(missing)', which '\(target)' does not define there", [subgraph], coordinate)
                        }
                    } else {
                        issue(.providesInvalidFields, "@provides(fields: \"\(provides)\") on '\(coordinate)' in subgraph '\(subgraph)' is not a valid field set", [subgraph], coordinate)
                    }
                }
            }
        }
    }

    /// The first field of a field set the subgraph does not declare, as `a.b`.
    private func missingField(_ nodes: [FieldSet.Node], on typeName: String, in subgraph: String) -> String? {
        guard let decl = declaration(typeName, in: subgraph) else { return nodes.first?.name }
        for node in nodes {
            guard let field = decl.fields[node.name] else { return node.name }
            if !node.children.isEmpty, let missing = missingField(node.children, on: field.type.namedType, in: subgraph) {
                return "\(node.name).\(missing)"
            }
        }
        return nil
    }

    /// A visible field cannot return a hidden type: clients would see a type they cannot name.
    private mutating func validateInaccessibleReferences(_ type: SupergraphType) {
        guard !type.inaccessible else { return }
        for field in type.fields.values where !field.inaccessible {
            if types[field.type.namedType]?.inaccessible == true {
                issue(.referencedInaccessible, "field '\(type.name).\(field.name)' returns '\(field.type.namedType)', which is @inaccessible; make the field @inaccessible too", Array(field.resolutions.keys), "\(type.name).\(field.name)")
            }
        }
    }
}
