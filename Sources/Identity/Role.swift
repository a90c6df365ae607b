/// What a user may do. Tokens carry a list of roles.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    case buyer
    case seller
    case admin
}
