import Database
import EmporiumCore

/// What a refused product write means to the client who sent it.
///
/// ``ProductRules`` check every field before a write, so these translations are the second line:
/// when a rule and a constraint drift apart (a limit changed in one place only), the client still
/// gets `BAD_USER_INPUT` naming the field instead of `INTERNAL_SERVER_ERROR`, and the log gets
/// the constraint.
enum ProductConstraintErrors {
    /// Input fields by the column a `catalog.products` constraint is named after
    /// (PostgreSQL names an unnamed column check `products_<column>_check`).
    static let fields: [(column: String, field: String)] = [
        ("compare_at_amount", "input.compareAtPrice"),
        ("price_amount", "input.price.amount"),
        ("currency", "input.price.currency"),
        ("title", "input.title"),
        ("description", "input.description"),
        ("attributes", "input.attributes"),
        ("image_urls", "input.imageUrls"),
        ("category_id", "input.categoryId"),
        ("seller_id", "input.sellerId"),
        ("slug", "input.title"),
    ]

    static func field(forConstraint constraint: String?) -> String {
        guard let constraint else { return "input" }
        return fields.first { constraint.contains($0.column) }?.field ?? "input"
    }

    /// The client's error for a PostgreSQL failure of a product write, nil when it is not one.
    static func translate(sqlState: String?, constraint: String?, detail: String) -> EmporiumError? {
        switch sqlState {
        case PostgresErrors.foreignKeyViolation:
            return EmporiumError.badInput("the category does not exist", field: "input.categoryId")
        case PostgresErrors.uniqueViolation:
            return EmporiumError(.conflict, "a product with this id or slug already exists; retry", detail: detail)
        case PostgresErrors.checkViolation, PostgresErrors.notNullViolation, PostgresErrors.stringTooLong, PostgresErrors.numericOutOfRange:
            let field = field(forConstraint: constraint)
            return EmporiumError(.badUserInput, "the value is not allowed for \(field)", field: field, detail: detail)
        case PostgresErrors.characterNotInRepertoire, PostgresErrors.untranslatableCharacter:
            return EmporiumError(.badUserInput, "a text field contains a character that cannot be stored", field: "input", detail: detail)
        default:
            return nil
        }
    }
}
