/// How one field of one object type gets its value. Every kind is called once per field of a plan
/// per request with all the parent values of that level, so a list of 20 products costs one call
/// of a batch resolver, and synchronous resolvers never wait.
///
/// The engine itself is not generic: the request's context travels as a ``ContextBox`` (one
/// reference, no copy of the context's fields per call) and the typed wrappers of
/// ``ObjectResolvers`` unwrap it. Generic code across module boundaries runs unspecialized, and
/// its runtime type lookups cost more than the resolvers themselves.
enum FieldResolution: Sendable {
    /// The value is at hand (a stored property, a computation): called for each parent value, no
    /// suspension.
    case each(@Sendable (any Sendable, FieldArguments, ErasedContext) throws -> OutputValue)
    /// One value at a time, suspending (a root field reading the database). For several parent
    /// values at once the calls run concurrently.
    case eachAsync(@Sendable (any Sendable, FieldArguments, ErasedContext) async throws -> OutputValue)
    /// All parent values of the level at once: one round trip for the whole list.
    case batch(@Sendable ([any Sendable], FieldArguments, ErasedContext) async throws -> [OutputValue])
}

/// A request's context as the engine carries it.
typealias ErasedContext = any AnyObject & Sendable

/// Holds the context of one request for the engine, which does not know its type.
final class ContextBox<Context: Sendable>: Sendable {
    let value: Context

    init(_ value: Context) {
        self.value = value
    }

    static func unbox(_ context: ErasedContext) -> Context {
        unsafeDowncast(context, to: ContextBox<Context>.self).value
    }
}

/// The root value every root field receives.
public struct RootValue: Sendable {
    public init() {}
}

/// The resolvers of a schema, declared per object type against typed Swift values; checked
/// against the SDL when the ``ExecutableSchema`` is made (every field has one, none is extra).
public struct SchemaResolvers<Context: Sendable>: Sendable {
    struct ObjectEntry: Sendable {
        var swiftType: ObjectIdentifier?
        var fields: [String: FieldResolution]
    }

    var objects: [String: ObjectEntry] = [:]
    var typeResolvers: [String: @Sendable (any Sendable) -> String?] = [:]
    var duplicates: [String] = []

    public init() {}

    /// The resolvers of object type `name`, whose values are `Source`s. When one Swift type backs
    /// one GraphQL type, abstract types (interfaces, unions) find the GraphQL type by the value's
    /// Swift type.
    public mutating func object<Source: Sendable>(
        _ name: String, _ source: Source.Type, _ declare: (inout ObjectResolvers<Context, Source>) -> Void
    ) {
        var resolvers = ObjectResolvers<Context, Source>()
        declare(&resolvers)
        duplicates += resolvers.duplicates.map { "\(name).\($0)" }
        var entry = objects[name] ?? ObjectEntry(swiftType: ObjectIdentifier(Source.self), fields: [:])
        for (field, resolution) in resolvers.fields {
            if entry.fields[field] != nil { duplicates.append("\(name).\(field)") }
            entry.fields[field] = resolution
        }
        objects[name] = entry
    }

    /// The query root's fields; their source is ``RootValue``.
    public mutating func query(_ declare: (inout ObjectResolvers<Context, RootValue>) -> Void) {
        object("Query", RootValue.self, declare)
    }

    /// The mutation root's fields; they run one after another, each with its whole subtree.
    public mutating func mutation(_ declare: (inout ObjectResolvers<Context, RootValue>) -> Void) {
        object("Mutation", RootValue.self, declare)
    }

    /// Names the object type of a value of interface or union `name`, for values whose Swift type
    /// does not say it (answer nil for "none": a field error).
    public mutating func resolveType(of name: String, _ resolve: @escaping @Sendable (any Sendable) -> String?) {
        typeResolvers[name] = resolve
    }
}

/// The field resolvers of one object type whose values are `Source`s.
public struct ObjectResolvers<Context: Sendable, Source: Sendable>: Sendable {
    var fields: [String: FieldResolution] = [:]
    var duplicates: [String] = []

    /// The parent value as the type these resolvers were declared for. A resolver that answered
    /// another Swift type for this object type (`.object(value, type:)` naming the wrong one) is
    /// a field error, not a crash.
    static func typed(_ source: any Sendable) throws -> Source {
        guard let typed = source as? Source else { throw SourceTypeMismatch(expected: "\(Source.self)", got: "\(type(of: source))") }
        return typed
    }

    private mutating func add(_ name: String, _ resolution: FieldResolution) {
        if fields[name] != nil { duplicates.append(name) }
        fields[name] = resolution
    }

    /// A value read from the source alone.
    public mutating func field<Output: OutputValueConvertible>(
        _ name: String, _ resolve: @escaping @Sendable (Source) throws -> Output
    ) {
        add(name, .each { source, _, _ in try resolve(try Self.typed(source)).outputValue })
    }

    /// A value computed at once from the source, the arguments and the request's context.
    public mutating func field<Output: OutputValueConvertible>(
        _ name: String, resolve: @escaping @Sendable (Source, FieldArguments, Context) throws -> Output
    ) {
        add(name, .each { source, arguments, context in try resolve(try Self.typed(source), arguments, ContextBox<Context>.unbox(context)).outputValue })
    }

    /// A value that needs waiting for, one source at a time (typically a root field).
    public mutating func field<Output: OutputValueConvertible>(
        _ name: String, async resolve: @escaping @Sendable (Source, FieldArguments, Context) async throws -> Output
    ) {
        add(name, .eachAsync { source, arguments, context in try await resolve(try Self.typed(source), arguments, ContextBox<Context>.unbox(context)).outputValue })
    }

    /// The values for all sources of one level at once, in their order (one database round trip
    /// for a whole list). Answering a different number of values is a field error on each.
    public mutating func field<Output: OutputValueConvertible>(
        _ name: String, batch resolve: @escaping @Sendable ([Source], FieldArguments, Context) async throws -> [Output]
    ) {
        add(name, .batch { sources, arguments, context in
            try await resolve(try sources.map { try Self.typed($0) }, arguments, ContextBox<Context>.unbox(context)).map { $0.outputValue }
        })
    }
}

/// A parent value of another Swift type than its object type's resolvers were declared for: the
/// schema's resolvers disagree with each other (an internal error, reported on the field).
public struct SourceTypeMismatch: Error, CustomStringConvertible {
    public let expected: String
    public let got: String
    public var description: String { "a resolver answered a \(got) where \(expected) was declared" }
}
