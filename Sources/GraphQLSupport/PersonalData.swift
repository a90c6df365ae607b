import EmporiumCore
import GraphQL
import GraphQLExecution
import Identity

/// The `PersonalData` entity (key `userId`): everything Emporium keeps about one user, one
/// field per service that keeps any (users: `account`, orders: `orders`, notifications:
/// `notifications`), each a JSON document that service builds. The users subgraph answers
/// `myPersonalData`; the gateway gathers the other fields from their subgraphs, so one query
/// exports everything and a new service joins by adding its field (docs/users.md).
public struct PersonalDataReference: Sendable, GraphQLObject {
    public let userID: UserID

    public init(userID: UserID) {
        self.userID = userID
    }

    /// References from `_entities` representations; a malformed one is null.
    public static func entities(_ representations: [Map]) -> [OutputValue] {
        representations.map { $0["userId"].string.map { PersonalDataReference(userID: UserID($0)) }.outputValue }
    }

    /// Who may read it: the user themself and admins.
    public func authorize(_ principal: Principal?) throws {
        _ = try Permissions.requireSelfOrAdmin(principal, user: userID, what: "personal data")
    }
}
