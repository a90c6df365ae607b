import GraphQL

/// Generates the differential corpus: random but reproducible operations over a ``SchemaShape``.
///
/// Everything comes from one seeded ``SplitMix64``, so a seed names a corpus. The documents mix
/// what execution has to get right: aliases (also one field under two aliases, and the same field
/// repeated so it merges), named fragments (new and reused, nested) and inline fragments with and
/// without type conditions on abstract and concrete types, `__typename`, `@skip`/`@include` with
/// literals and variables, arguments as literals and as variables at any depth of a value (with
/// and without defaults, given, omitted or null), several operations in one document, mutations,
/// and introspection, random and the standard queries.
///
/// The selections are built never to conflict: aliases are unique in a document, and a field
/// used without an alias always gets the same arguments within an operation (GraphQLSwift does not
/// run "Overlapping Fields Can Be Merged", so a conflict would go unnoticed and be executed).
struct OperationGenerator {
    /// A variable of the operation being generated; `hint` picks the pool its values come from.
    struct VariableDefinition {
        let name: String
        let type: SchemaShape.TypeRef
        let defaultValue: String?
        let hint: String
    }

    let shape: SchemaShape
    var random: SplitMix64
    private var produced = 0

    // State of the document being generated.
    var aliasCount = 0
    var fragmentCount = 0
    var variableCount = 0
    // State of the operation being generated.
    var variables: [VariableDefinition] = []
    var variableValues: [String: Map] = [:]
    var fragments: [(name: String, condition: String)] = []
    var fragmentTexts: [String] = []
    var canonicalArguments: [String: String] = [:]
    var fieldCount = 0
    var maxDepth = 3
    var fragmentNesting = 0

    init(shape: SchemaShape, seed: UInt64) {
        self.shape = shape
        random = SplitMix64(seed: seed)
    }

    mutating func next() -> GeneratedOperation {
        defer { produced += 1 }
        aliasCount = 0
        fragmentCount = 0
        variableCount = 0
        fragmentTexts = []
        let roll = random.int(0...99)
        if roll < 3 { return introspection() }
        if roll < 13 { return multipleOperations() }
        let isMutation = roll < 25 && shape.mutationType != nil
        let name: String? = random.chance(0.5) ? "Operation\(produced)" : nil
        var operation = operation(isMutation ? .mutation : .query, name: name)
        var operationName = name.flatMap { random.chance(0.5) ? $0 : nil }
        if name == nil, variables.isEmpty, !isMutation, random.chance(0.5) {
            operation = String(operation.drop { $0 != "{" })  // the query shorthand
        }
        if random.chance(0.01) { operationName = "Missing" }
        let invalid = invalidateAVariable()
        let rerun = invalid == nil ? alternateVariables().map { GeneratedOperation.Rerun(operationName: operationName, variables: $0) } : nil
        return GeneratedOperation(
            index: produced, kind: isMutation ? .mutation : .query, document: document([operation]),
            operationName: operationName, variables: variableValues, invalidVariable: invalid, rerun: rerun)
    }

    /// Two or three named operations in one document, one of them picked by name (now and then
    /// none or an unknown one: a request error).
    private mutating func multipleOperations() -> GeneratedOperation {
        let count = random.int(2...3)
        let chosen = random.int(0...(count - 1))
        var texts: [String] = []
        var chosenValues: [String: Map] = [:]
        var invalid: String?
        var values: [[String: Map]] = []
        for index in 0..<count {
            let isMutation = shape.mutationType != nil && random.chance(0.25)
            texts.append(operation(isMutation ? .mutation : .query, name: "Op\(index)"))
            if index == chosen {
                invalid = invalidateAVariable()
                chosenValues = variableValues
            }
            values.append(variableValues)
        }
        // Now and then the same document runs again for another of its operations.
        let other = (chosen + 1) % count
        let rerun = invalid == nil && random.chance(0.3) ? GeneratedOperation.Rerun(operationName: "Op\(other)", variables: values[other]) : nil
        var operationName: String? = "Op\(chosen)"
        let roll = random.int(0...99)
        if roll < 3 { operationName = nil } else if roll < 5 { operationName = "Op9" }
        return GeneratedOperation(
            index: produced, kind: .multipleOperations, document: document(texts), operationName: operationName,
            variables: chosenValues, invalidVariable: invalid, rerun: rerun)
    }

    private mutating func introspection() -> GeneratedOperation {
        let typeNames = shape.types.keys.sorted() + ["Nope"]
        var variables: [String: Map] = [:]
        let document: String
        // The fixed documents answer the same every time: a few runs of each are enough.
        switch random.int(0...9) {
        case 0: document = IntrospectionDocuments.full
        case 1: document = IntrospectionDocuments.typesAndFields
        case 2: document = IntrospectionDocuments.schemaRoots
        default:
            document = IntrospectionDocuments.typeByName
            variables["name"] = .string(random.pick(typeNames))
        }
        return GeneratedOperation(
            index: produced, kind: .introspection, document: document, operationName: nil, variables: variables, invalidVariable: nil,
            rerun: nil)
    }

    /// One operation's text, its fragments added to ``fragmentTexts`` and its variables' values
    /// left in ``variableValues``.
    private mutating func operation(_ type: OperationType, name: String?) -> String {
        variables = []
        variableValues = [:]
        fragments = []
        canonicalArguments = [:]
        fieldCount = 0
        fragmentNesting = 0
        maxDepth = random.int(2...5)
        let root = type == .mutation ? shape.mutationType! : shape.queryType
        let body = selectionSet(on: root, depth: 0, count: type == .mutation ? 2...5 : 1...4)
        var header = type == .mutation ? "mutation" : "query"
        if let name { header += " \(name)" }
        if !variables.isEmpty {
            let definitions = variables.map { variable in
                "$\(variable.name): \(variable.type.text)" + (variable.defaultValue.map { " = \($0)" } ?? "")
            }
            header += "(" + definitions.joined(separator: random.chance(0.3) ? ", " : " ") + ")"
        }
        return header + " " + body
    }

    private mutating func document(_ operations: [String]) -> String {
        var definitions = operations + fragmentTexts
        if random.chance(0.3) { definitions.shuffle(using: &random) }
        return definitions.joined(separator: "\n")
    }

    /// Gives one of the operation's variables a value its type refuses (now and then), so that
    /// request errors are compared too.
    private mutating func invalidateAVariable() -> String? {
        guard !variables.isEmpty, random.chance(0.05) else { return nil }
        let variable = random.pick(variables)
        guard let value = invalidValue(for: variable.type) else { return nil }
        switch value {
        case .undefined: variableValues[variable.name] = nil
        default: variableValues[variable.name] = value
        }
        return variable.name
    }

    /// Other values for the same variables (for a quarter of the operations that have some): run
    /// second against the plan the first values compiled, they show whether a cached plan keeps
    /// anything of the request it was compiled for.
    private mutating func alternateVariables() -> [String: Map]? {
        guard !variables.isEmpty, random.chance(0.25) else { return nil }
        var values: [String: Map] = [:]
        for variable in variables {
            let roll = random.int(0...99)
            if variable.type.isNonNull || roll < 65 {
                values[variable.name] = value(variable.type, hint: variable.hint, depth: 0)
            } else if roll >= 85 {
                values[variable.name] = .null
            }
        }
        return values
    }
}
