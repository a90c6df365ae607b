import EmporiumCore
import GraphQL

/// The validation rules every Emporium endpoint applies: the specification's, plus the 32-bit
/// range of `Int` literals.
public enum GraphQLValidation {
    public static let rules: [@Sendable (ValidationContext) -> Visitor] = specifiedRules + [int32Literals]

    /// GraphQL's `Int` is a signed 32-bit integer (spec §3.5.1), but GraphQLSwift accepts any
    /// literal that fits Swift's `Int`. A resolver or a cost estimate would then meet
    /// 9223372036854775807 as a page size. Out-of-range literals where an `Int` is expected are
    /// the client's mistake: `BAD_USER_INPUT`, before anything runs. (Variables are checked when
    /// they are coerced.)
    @Sendable static func int32Literals(_ context: ValidationContext) -> Visitor {
        Visitor(enter: { node, _, _, _, _ in
            guard let literal = node as? IntValue, getNamedType(type: context.inputType)?.name == GraphQLInt.name else {
                return .continue
            }
            if Int32(literal.value) == nil {
                context.report(error: GraphQLError(
                    message: "Int cannot represent \(literal.value.prefix(40)): an Int is a 32-bit integer (\(Int32.min) to \(Int32.max))",
                    nodes: [literal], extensions: ["code": .string(EmporiumError.Code.badUserInput.rawValue)]
                ))
            }
            return .continue
        })
    }
}
