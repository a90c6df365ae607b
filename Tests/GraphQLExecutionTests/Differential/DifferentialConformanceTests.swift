import Foundation
import GraphQL
import GraphQLExecution
import Testing

/// Spec conformance by differential testing: thousands of generated operations (see
/// ``OperationGenerator``) run by GraphQLSwift's executor and by ours over the same schema and
/// data must give the same `data`, byte for byte, and the same errors. The shop's state afterwards
/// must be the same too (which mutations ran, in which order), and what our JSON writer sends
/// must be exactly the data and errors compared. Each document with variables runs a second time
/// now and then, with other values (or another of its operations) on the plans the first run
/// stored.
///
/// Run more by hand: `EMPORIUM_DIFF_SEED=7 EMPORIUM_DIFF_COUNT=20000 swift test --skip-build
/// --filter DifferentialConformanceTests` (`EMPORIUM_DIFF_REPORT=/tmp/differences.txt` writes every
/// difference there, not only the first five).
///
/// ## Allowed differences
/// Each is normalised in ``ResponseComparator`` (or ``ReferenceArguments``, ``CanonicalJSON``)
/// and nowhere else; everything not listed here must be identical.
///
/// 1. **A null list item.** GraphQLSwift 4.3 cannot answer a list holding null (its
///    `completeListValue` keeps the `nil`, and `map(from:)` then throws `MapError`), so the whole
///    response becomes one path-less error. The spec has nullable items answer null in place
///    (§6.4.3 Value Completion, lists). Not compared; ours must hold a null list item (the reason the
///    reference failed), and ``ExecutionEdgeCaseTests`` pins the exact answers.
/// 2. **Request errors' wording.** The spec says "raise a request error" (§6.1 GetOperation,
///    §6.1.2 CoerceVariableValues) but not what it says. Compared: both refuse, neither has
///    `data`, and ours names the variable GraphQLSwift names.
/// 3. **`data` when a null reaches the root.** GraphQLSwift leaves `data` out; the spec wants it
///    null (§6.4.4 Handling Field Errors, §7.1.2 "data"). GraphQLSwift's absent data counts as null.
/// 4. **Errors GraphQLSwift's executor raises itself** ("Cannot return null for non-nullable
///    field", a leaf value its type cannot serialize). It throws them as `GraphQLError`s it then
///    never locates: no path, no locations, though a field error must have its path (§7.1.2
///    "path"). Compared by message; ours must also have a valid path.
/// 5. **Errors inside a subtree a non-null error nulled.** GraphQLSwift resolves siblings in a task
///    group and drops it at the first error that propagates, so which other errors of the nulled
///    subtree it reports is a race. The spec adds every field error (§6.4.4) and leaves the
///    rest open. Ours must report every one GraphQLSwift reports, and may report more only under
///    the positions that were nulled.
/// 6. **Omitted variables and defaults.** For an argument or input field fed by an omitted
///    variable GraphQLSwift passes "undefined" instead of the default; the spec gives the default
///    (§6.4.1 CoerceArgumentValues; §3.10 Input Objects) and null for a list item (§3.11 List). The reference's
///    resolvers fill the defaults in (``ReferenceArguments``).
/// 7. **Numbers inside echoed arguments.** A whole Float is echoed as an integer
///    (``CanonicalJSON/echo(_:)``): GraphQLSwift keeps a Float variable sent as `2` an integer,
///    and a resolver cannot tell (§3.5.2 Float input coercion). Responses keep the number kinds.
/// 8. **`__Type.isOneOf`.** GraphQLSwift answers false for every kind of type; the spec has it
///    for input objects only, null for the other kinds (§4.2.2 The __Type Type).
/// 9. **Input fields' `defaultValue`.** GraphQLSwift answers null for every input field (its
///    resolver only knows arguments); the spec wants the default as a literal (§4.2.4 The
///    __InputValue Type).
/// 10. **`__InputValue.isDeprecated`.** GraphQLSwift has no value for it: a non-null error.
/// 11. **`args` without `includeDeprecated`.** GraphQLSwift ignores the argument and lists
///    deprecated arguments; the spec's default is false (§4.2.3 The __Field Type, §4.2.6 The
///    __Directive Type).
///
///    8 to 11 cannot be normalised away (the positions hold the very values that differ), so the
///    generator never asks for them (``OperationGenerator/excluded``,
///    ``OperationGenerator/forcedArguments``, ``IntrospectionDocuments``) and
///    ``ExecutionEdgeCaseTests`` pins our answers against the spec.
/// 12. **Repeated locations.** GraphQLSwift's CollectFields copies its set of visited fragments
///    into every nested selection set, so a fragment spread again inside an inline fragment is
///    collected twice and its fields' locations appear twice; the spec visits a fragment once per
///    selection set (§6.3.2 Field Collection). GraphQLSwift's locations are deduplicated, first
///    occurrence kept.
///
/// The generator also stays away from what GraphQLSwift gets wrong and the spec leaves no room
/// for, as no normalisation could make those comparable: conflicting fields (GraphQLSwift does
/// not run "Overlapping Fields Can Be Merged", §5.3.2), fractional values for `Int` and numbers
/// for `Boolean` variables (it accepts both, §3.5), nullable variables with defaults in non-null
/// positions (its validation refuses them, §5.8.5), and null for a nullable variable used where
/// an argument is non-null.
@Suite struct DifferentialConformanceTests {
    static let seed = ProcessInfo.processInfo.environment["EMPORIUM_DIFF_SEED"].flatMap(UInt64.init) ?? 20_241_204
    static let count = ProcessInfo.processInfo.environment["EMPORIUM_DIFF_COUNT"].flatMap(Int.init) ?? 3000
    static let reportPath = ProcessInfo.processInfo.environment["EMPORIUM_DIFF_REPORT"]

    @Test func ourEngineAnswersEveryGeneratedOperationLikeGraphQLSwift() async throws {
        let started = ContinuousClock.now
        let harness = try DifferentialHarness()
        var generator = OperationGenerator(shape: harness.shape, seed: Self.seed)
        let operations = (0..<Self.count).map { _ in generator.next() }

        // Two workers, each with its own shop: an operation's state is its own.
        let tallies = await withTaskGroup(of: DifferentialTally.self) { group in
            for worker in 0..<2 {
                group.addTask {
                    var tally = DifferentialTally()
                    let shop = ShopState()
                    for operation in operations where operation.index % 2 == worker {
                        await tally.record(operation, harness.run(operation, shop: shop))
                    }
                    return tally
                }
            }
            var total = DifferentialTally()
            for await tally in group { total.merge(tally) }
            return total
        }

        let summary = tallies.summary(seed: Self.seed, elapsed: ContinuousClock.now - started)
        print(summary)
        if let path = Self.reportPath {
            try tallies.report(limit: .max).write(toFile: path, atomically: true, encoding: .utf8)
        }
        let (invalid, compared, differences) = (tallies.invalid, tallies.compared, tallies.differences.count)
        #expect(invalid * 20 <= Self.count, "fewer than 95 % of the generated documents are valid\n\(summary)")
        #expect(compared >= Self.count * 9 / 10, "too few operations compared\n\(summary)")
        #expect(differences == 0, "\(tallies.report())\n\(summary)")
    }
}
