import GraphQL

/// Selection sets: fields with aliases, arguments and directives, fragments, duplicates.
extension OperationGenerator {
    /// How often a field is picked, relative to 10: fields that wipe out much of a response
    /// (non-null errors near the root), null list items (which GraphQLSwift cannot answer) and
    /// bulky introspection lists are kept rare.
    static let weights: [String: Int] = [
        "Query.failingNonNull": 1, "Query.failing": 4, "Query.__schema": 2, "Query.__type": 4, "Query.nodes": 4,
        "Query.slow": 3, "Query.echo": 14, "Query.search": 12, "Query.node": 8,
        "Person.mustHave": 2, "Person.friends": 3, "Person.secret": 6, "Person.greet": 8, "Person.pets": 8,
        "Cat.lives": 5, "Review.strict": 3, "Variant.sku": 6, "Product.reviews": 6,
        "Mutation.strictIncrement": 2, "Mutation.failingMutation": 5, "Mutation.setFavorite": 6,
        "__Schema.types": 2, "__Type.fields": 5, "__Type.ofType": 6, "__Type.name": 14, "__Type.kind": 12,
    ]

    /// Introspection fields GraphQLSwift answers against the spec and no normalisation can
    /// repair, never selected (allowed differences 8–10; ``ExecutionEdgeCaseTests`` pins ours).
    static let excluded: Set<String> = ["__Type.isOneOf", "__InputValue.defaultValue", "__InputValue.isDeprecated"]

    /// Arguments always given: GraphQLSwift ignores `includeDeprecated` on `args` and lists
    /// deprecated arguments whatever it says (allowed difference 11).
    static let forcedArguments = ["__Field.args": "(includeDeprecated: true)", "__Directive.args": "(includeDeprecated: true)"]

    /// A field selected, for the duplicates that merge with it.
    struct Selected {
        let head: String
        let type: String
    }

    mutating func selectionSet(on type: String, depth: Int, count: ClosedRange<Int> = 1...3) -> String {
        var selected: [Selected] = []
        var items: [String] = []
        for _ in 0..<random.int(count) {
            items.append(contentsOf: selection(on: type, depth: depth, selected: &selected))
        }
        let separator = random.pick([" ", "\n", ", "])
        return "{ " + items.joined(separator: separator) + " }"
    }

    private enum Choice {
        case field, typename, inlineFragment, newFragment, reusedFragment, duplicate, twins
    }

    private mutating func selection(on type: String, depth: Int, selected: inout [Selected]) -> [String] {
        let canNest = depth < maxDepth && fieldCount < 60 && fragmentNesting < 3
        let reusable = fragments.filter { shape.fragmentConditions(on: type).contains($0.condition) }
        var choices: [(Choice, Int)] = [(.field, 70), (.typename, 6), (.twins, 3)]
        if canNest { choices += [(.inlineFragment, 9), (.newFragment, 6)] }
        if canNest, !reusable.isEmpty { choices.append((.reusedFragment, 5)) }
        if !selected.isEmpty { choices.append((.duplicate, 5)) }
        switch random.pick(weighted: choices) {
        case .field:
            guard let field = pickField(on: type, canNest: canNest) else { return ["__typename"] }
            let (text, entry) = fieldSelection(field, on: type, alias: random.chance(0.25) ? nextAlias() : nil, depth: depth)
            selected.append(entry)
            return [text]
        case .typename:
            return [random.chance(0.3) ? "\(nextAlias()): __typename" : "__typename"]
        case .twins:
            guard let field = pickField(on: type, canNest: canNest) else { return ["__typename"] }
            return [
                fieldSelection(field, on: type, alias: nextAlias(), depth: depth).0, fieldSelection(field, on: type, alias: nextAlias(), depth: depth).0,
            ]
        case .duplicate:
            let earlier = random.pick(selected)
            guard shape.isComposite(earlier.type) else { return [earlier.head + directives()] }
            return [earlier.head + directives() + " " + selectionSet(on: earlier.type, depth: depth + 1)]
        case .inlineFragment:
            let condition = random.chance(0.2) ? nil : random.pick(shape.fragmentConditions(on: type))
            fragmentNesting += 1
            defer { fragmentNesting -= 1 }
            let head = condition.map { "... on \($0)" } ?? "..."
            return [head + (random.chance(0.2) ? directives(always: true) : "") + " " + selectionSet(on: condition ?? type, depth: depth)]
        case .newFragment:
            let condition = random.pick(shape.fragmentConditions(on: type))
            fragmentCount += 1
            let name = "F\(fragmentCount)"
            fragmentNesting += 1
            let body = selectionSet(on: condition, depth: depth)
            fragmentNesting -= 1
            fragmentTexts.append("fragment \(name) on \(condition) \(body)")
            fragments.append((name, condition))
            return ["...\(name)" + (random.chance(0.15) ? directives(always: true) : "")]
        case .reusedFragment:
            return ["...\(random.pick(reusable).name)" + directives()]
        }
    }

    private mutating func pickField(on type: String, canNest: Bool) -> SchemaShape.Field? {
        let fields = shape[type].fields.filter { field in
            (canNest || !shape.isComposite(field.type.namedType)) && !Self.excluded.contains("\(type).\(field.name)")
        }
        guard !fields.isEmpty else { return nil }
        return random.pick(weighted: fields.map { ($0, Self.weights["\(type).\($0.name)"] ?? 10) })
    }

    private mutating func nextAlias() -> String {
        aliasCount += 1
        return "a\(aliasCount)"
    }

    /// `alias: name(arguments) @directives { … }`, and what a duplicate of it repeats.
    private mutating func fieldSelection(_ field: SchemaShape.Field, on type: String, alias: String?, depth: Int) -> (String, Selected) {
        fieldCount += 1
        var head = (alias.map { "\($0): " } ?? "") + field.name
        if let forced = Self.forcedArguments["\(type).\(field.name)"] {
            head += forced
        } else if !field.arguments.isEmpty {
            if alias == nil {
                // Unaliased, the field must always get the same arguments (they would conflict).
                let key = field.name + "(" + field.arguments.map(\.name).joined(separator: ",") + ")"
                if canonicalArguments[key] == nil { canonicalArguments[key] = arguments(of: field) }
                head += canonicalArguments[key]!
            } else {
                head += arguments(of: field)
            }
        }
        let named = field.type.namedType
        var text = head + directives()
        if shape.isComposite(named) {
            text += " " + selectionSet(on: named, depth: depth + 1)
        }
        return (text, Selected(head: head, type: named))
    }

    /// `(a: 1, b: $v2)`: each argument given as a literal, as a variable, or (when it may be)
    /// left out.
    private mutating func arguments(of field: SchemaShape.Field) -> String {
        var given: [String] = []
        for argument in field.arguments {
            let hint = "\(field.name).\(argument.name)"
            let required = argument.type.isNonNull && !argument.hasDefault
            let roll = random.int(0...99)
            if !required, roll < 40 { continue }
            if roll < 70 {
                given.append("\(argument.name): \(literal(argument.type, hint: hint, depth: 0))")
            } else {
                given.append("\(argument.name): \(variable(argument.type, hint: hint))")
            }
        }
        if given.isEmpty { return "" }
        if random.chance(0.3) { given.shuffle(using: &random) }
        return "(" + given.joined(separator: random.chance(0.5) ? ", " : " ") + ")"
    }

    /// Now and then (or always) `@skip`, `@include` or both, on a literal or a `Boolean!` variable.
    private mutating func directives(always: Bool = false) -> String {
        guard always || random.chance(0.07) else { return "" }
        var text = ""
        let which = random.int(0...2)
        if which != 1 { text += " @skip(if: \(condition()))" }
        if which != 0 { text += " @include(if: \(condition()))" }
        return text
    }

    private mutating func condition() -> String {
        if random.chance(0.5) { return random.chance(0.5) ? "true" : "false" }
        variableCount += 1
        let name = "c\(variableCount)"
        variables.append(VariableDefinition(name: name, type: .nonNull(.named("Boolean")), defaultValue: nil, hint: "if"))
        variableValues[name] = .bool(random.chance(0.5))
        return "$" + name
    }
}
