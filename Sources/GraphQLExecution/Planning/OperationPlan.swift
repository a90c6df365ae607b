import GraphQL
import Synchronization

/// An operation compiled against a schema: for every object type a selection reaches, the fields
/// to resolve in response order, each with its resolver, its arguments (coerced already when they
/// are literals) and how to complete its value. Made once per (document, operation, values of the
/// variables `@skip`/`@include` read) and kept with the document (``PlanStore``).
final class OperationPlan: Sendable {
    let operation: OperationType
    let root: SelectionPlan
    /// How many field plans there are: the size of a request's argument table.
    let fieldCount: Int

    init(operation: OperationType, root: SelectionPlan, fieldCount: Int) {
        self.operation = operation
        self.root = root
        self.fieldCount = fieldCount
    }
}

/// The fields of one selection set on one object type, merged and in response order.
final class SelectionPlan: Sendable {
    let typeName: String
    let fields: [FieldPlan]
    let keys: ResponseKeys

    init(typeName: String, fields: [FieldPlan]) {
        self.typeName = typeName
        self.fields = fields
        keys = ResponseKeys(
            names: fields.map(\.responseKey),
            json: fields.map { field in
                var key: [UInt8] = []
                JSONWriter.writeString(field.responseKey, into: &key)
                key.append(UInt8(ascii: ":"))
                return key
            },
            nonNull: fields.map(\.completion.isNonNull)
        )
    }
}

/// One response key of a selection plan.
final class FieldPlan: Sendable {
    /// Index into the request's table of arguments resolved from variables.
    let id: Int
    let responseKey: String
    let fieldName: String
    let parentType: String
    /// The field's nodes in the document, for error locations.
    let nodes: [Field]
    let resolution: PlannedResolution
    let arguments: PlannedArguments
    let completion: Completion

    init(
        id: Int, responseKey: String, fieldName: String, parentType: String, nodes: [Field],
        resolution: PlannedResolution, arguments: PlannedArguments, completion: Completion
    ) {
        self.id = id
        self.responseKey = responseKey
        self.fieldName = fieldName
        self.parentType = parentType
        self.nodes = nodes
        self.resolution = resolution
        self.arguments = arguments
        self.completion = completion
    }
}

enum PlannedResolution: Sendable {
    /// `__typename`: the object type's name, no resolver.
    case typename
    case resolver(FieldResolution)
}

enum PlannedArguments: Sendable {
    /// No variables in the arguments: coerced when the plan was made.
    case fixed(FieldArguments)
    /// A literal the argument's type refused: a field error wherever the field is resolved.
    case invalid(GraphQLError)
    /// Uses variables: coerced once per request, from these definitions and nodes.
    case withVariables([ArgumentDefinition], [Argument])
}

/// How a resolved value becomes response JSON: the field's type, unwrapped once when planning.
indirect enum Completion: Sendable {
    case nonNull(Completion)
    case list(Completion)
    case leaf(LeafKind)
    case object(SelectionPlan)
    /// An interface or union: the plan of each object type it may be.
    case abstract(name: String, plans: [String: SelectionPlan])

    var isNonNull: Bool {
        if case .nonNull = self { return true }
        return false
    }
}

/// The leaf types the executor serializes itself, and the rest left to their type's `serialize`.
enum LeafKind: Sendable {
    case int, float, string, boolean, id
    case enumeration(GraphQLEnumType, Set<String>)
    /// A custom scalar: the resolver's value as it is.
    case custom(GraphQLScalarType)
}

/// The compiled plans of one document, kept with it (in the process's document cache), so a
/// repeated operation costs a lookup. Plans are per operation name and per the values of the
/// variables that `@skip`/`@include` read; a document with many such variables keeps at most
/// ``capacity`` plans and compiles the rest each time.
public final class PlanStore: Sendable {
    struct Key: Hashable {
        let operationName: String?
        let conditions: [Bool]
    }

    static let capacity = 16
    private let plans = Mutex<[Key: OperationPlan]>([:])
    /// The variables `@skip`/`@include` read in the document, found at first use.
    let conditions = Mutex<[String]?>(nil)
    /// The schema types of the document's variable declarations, by where each declaration
    /// starts in the document's text.
    private let inputTypes = Mutex<[Int: any GraphQLInputType]>([:])

    func inputType(of definition: VariableDefinition, resolve: () -> (any GraphQLInputType)?) -> (any GraphQLInputType)? {
        guard let key = definition.loc?.start else { return resolve() }
        if let known = inputTypes.withLock({ $0[key] }) { return known }
        guard let type = resolve() else { return nil }
        inputTypes.withLock { $0[key] = type }
        return type
    }

    public init() {}

    func plan(_ key: Key) -> OperationPlan? {
        plans.withLock { $0[key] }
    }

    func store(_ plan: OperationPlan, for key: Key) {
        plans.withLock { plans in
            if plans.count < Self.capacity { plans[key] = plan }
        }
    }
}

/// An argument as coercion needs it (GraphQLSwift's own definition type cannot be made outside it).
struct ArgumentDefinition: Sendable {
    let name: String
    let type: any GraphQLInputType
    let defaultValue: Map?
}
