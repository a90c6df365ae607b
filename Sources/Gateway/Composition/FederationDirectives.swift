import GraphQL

/// Which local directive names mean which federation directives in one subgraph.
///
/// Federation v2 subgraphs `@link` the federation spec and import directives, possibly under
/// another name (`{ name: "@key", as: "@primaryKey" }`); what is not imported is still usable as
/// `@federation__key` (or `@<as>__key` when the link itself is renamed). A subgraph without a
/// federation link is a federation v1 subgraph, where every directive has its plain name.
struct FederationDirectives {
    static let all = [
        "key", "shareable", "external", "requires", "provides", "inaccessible", "tag", "override",
        "extends", "interfaceObject", "composeDirective", "authenticated", "requiresScopes", "policy",
    ]

    /// Local name (without `@`) → federation name.
    private(set) var federationNameByLocal: [String: String] = [:]
    /// The `@link` directive's own local name (`link` unless imported differently).
    private(set) var linkName = "link"

    static func read(_ document: Document, subgraph: String) throws(CompositionError) -> FederationDirectives {
        var result = FederationDirectives()
        let schemaDirectives = document.definitions.flatMap { definition -> [Directive] in
            if let schema = definition as? SchemaDefinition { return schema.directives }
            if let schema = definition as? SchemaExtensionDefinition { return schema.definition.directives }
            return []
        }
        let links = schemaDirectives.filter { $0.name.value == "link" || $0.name.value == "core" }
        guard let federationLink = links.first(where: { (stringArgument($0, "url") ?? "").contains("specs.apollo.dev/federation/") }) else {
            // Federation v1: plain names.
            for name in all { result.federationNameByLocal[name] = name }
            return result
        }
        let url = stringArgument(federationLink, "url") ?? ""
        let prefix = stringArgument(federationLink, "as") ?? "federation"
        for name in all { result.federationNameByLocal["\(prefix)__\(name)"] = name }
        guard let imports = federationLink.arguments.first(where: { $0.name.value == "import" })?.value else {
            return result
        }
        guard let list = imports as? ListValue else {
            throw CompositionError(.invalidLink, "subgraph '\(subgraph)': @link(url: \"\(url)\") has an import that is not a list", subgraphs: [subgraph])
        }
        for item in list.values {
            let original: String
            let alias: String
            if let string = item as? StringValue {
                original = string.value
                alias = string.value
            } else if let object = item as? ObjectValue,
                      let name = object.fields.first(where: { $0.name.value == "name" })?.value as? StringValue {
                original = name.value
                alias = (object.fields.first(where: { $0.name.value == "as" })?.value as? StringValue)?.value ?? name.value
            } else {
                throw CompositionError(.invalidLink, "subgraph '\(subgraph)': an import of @link(url: \"\(url)\") is neither a string nor {name, as}", subgraphs: [subgraph])
            }
            // Imported types such as FieldSet need no mapping; only directives matter here.
            guard original.hasPrefix("@") else { continue }
            let federationName = String(original.dropFirst())
            guard all.contains(federationName) else {
                throw CompositionError(.invalidLink, "subgraph '\(subgraph)': @link imports unknown federation directive '\(original)'", subgraphs: [subgraph])
            }
            guard alias.hasPrefix("@") else {
                throw CompositionError(.invalidLink, "subgraph '\(subgraph)': the import of '\(original)' is renamed to '\(alias)', which does not start with '@'", subgraphs: [subgraph])
            }
            result.federationNameByLocal[String(alias.dropFirst())] = federationName
        }
        return result
    }

    /// The federation name of a directive as written in this subgraph, if it is one.
    func federationName(of directive: Directive) -> String? {
        federationNameByLocal[directive.name.value]
    }

    func directives(_ directives: [Directive], named federationName: String) -> [Directive] {
        directives.filter { self.federationName(of: $0) == federationName }
    }

    func has(_ directives: [Directive], _ federationName: String) -> Bool {
        directives.contains { self.federationName(of: $0) == federationName }
    }

    static func stringArgument(_ directive: Directive, _ name: String) -> String? {
        (directive.arguments.first { $0.name.value == name }?.value as? StringValue)?.value
    }

    static func boolArgument(_ directive: Directive, _ name: String) -> Bool? {
        (directive.arguments.first { $0.name.value == name }?.value as? BooleanValue)?.value
    }
}
