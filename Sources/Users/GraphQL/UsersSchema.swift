import EmporiumCore
import GraphQL
import GraphQLExecution
import GraphQLSupport
import Identity

/// The users subgraph: its SDL (``sdl``) and resolvers on our engine.
public enum UsersSchema {
    public static func build(sdl: String = UsersSchema.sdl) throws -> ExecutableSchema<UsersContext> {
        var resolvers = SchemaResolvers<UsersContext>()
        resolvers.object("User", User.self) { type in
            type.field("id") { GraphID($0.id.rawValue) }
            type.field("displayName") { $0.displayName }
            type.field("email", resolve: UsersResolver.visibleEmail)
            type.field("roles") { $0.roles.map(RoleValue.init).sorted { $0.rawValue < $1.rawValue } }
            type.field("language") { LanguageValue(rawValue: $0.locale.rawValue.uppercased()) ?? .ru }
            type.field("createdAt") { DateTime($0.createdAt) }
            type.field("emailVerified", resolve: UsersResolver.visibleEmailVerified)
            type.field("suspended", resolve: UsersResolver.visibleSuspended)
            type.field("seller", batch: UsersResolver.sellerOfUsers)
        }
        resolvers.object("Seller", Seller.self) { type in
            type.field("id") { GraphID($0.id.rawValue) }
            type.field("shopName") { $0.shopName }
            type.field("slug") { $0.slug.rawValue }
            type.field("since") { DateTime($0.since) }
        }
        resolvers.object("BecomeSellerPayload", BecomeSellerPayload.self) { type in
            type.field("seller") { $0.seller }
            type.field("auth") { $0.auth }
        }
        resolvers.object("AuthPayload", AuthPayload.self) { type in
            type.field("accessToken") { $0.accessToken }
            type.field("accessTokenExpiresAt") { DateTime($0.accessTokenExpiresAt) }
            type.field("refreshToken") { $0.refreshToken }
            type.field("user", resolve: UsersResolver.payloadUser)
        }
        resolvers.object("UserPage", UserPage.self) { type in
            type.field("users") { $0.users }
            type.field("nextCursor") { $0.nextCursor }
        }
        resolvers.object("AuditEntry", AuditEntry.self) { type in
            type.field("id") { GraphID(String($0.id)) }
            type.field("actorId") { $0.actor }
            type.field("action") { $0.action }
            type.field("subjectId") { $0.subject.map { GraphID($0.rawValue) } }
            type.field("detail") { $0.detail }
            type.field("at") { DateTime($0.at) }
        }
        resolvers.object("AuditPage", AuditPage.self) { type in
            type.field("entries") { $0.entries }
            type.field("nextCursor") { $0.nextCursor }
        }
        resolvers.query { query in
            query.field("me", async: UsersResolver.me)
            query.field("users", async: UsersResolver.users)
            query.field("auditLog", async: UsersResolver.auditLog)
            query.field("exportMyData", async: UsersResolver.exportMyData)
            query.field("myPersonalData", async: UsersResolver.myPersonalData)
        }
        resolvers.object("PersonalData", PersonalDataReference.self) { type in
            type.field("userId") { GraphID($0.userID.rawValue) }
            type.field("account", async: UsersResolver.personalAccount)
        }
        resolvers.mutation { mutation in
            mutation.field("register", async: UsersResolver.register)
            mutation.field("login", async: UsersResolver.login)
            mutation.field("refreshSession", async: UsersResolver.refreshSession)
            mutation.field("logout", async: UsersResolver.logout)
            mutation.field("logoutEverywhere", async: UsersResolver.logoutEverywhere)
            mutation.field("changePassword", async: UsersResolver.changePassword)
            mutation.field("becomeSeller", async: UsersResolver.becomeSeller)
            mutation.field("deleteAccount", async: UsersResolver.deleteAccount)
            mutation.field("setUserRoles", async: UsersResolver.setUserRoles)
            mutation.field("suspendUser", async: UsersResolver.suspendUser)
            mutation.field("reinstateUser", async: UsersResolver.reinstateUser)
            mutation.field("requestPasswordReset", async: UsersResolver.requestPasswordReset)
            mutation.field("resetPassword", async: UsersResolver.resetPassword)
            mutation.field("verifyEmail", async: UsersResolver.verifyEmail)
            mutation.field("resendEmailVerification", async: UsersResolver.resendEmailVerification)
            mutation.field("requestEmailChange", async: UsersResolver.requestEmailChange)
            mutation.field("confirmEmailChange", async: UsersResolver.confirmEmailChange)
            mutation.field("setLanguage", async: UsersResolver.setLanguage)
        }
        let federation = Federation<UsersContext>(entities: [
            "User": UsersResolver.userEntities, "Seller": UsersResolver.sellerEntities,
            "PersonalData": { representations, _ in PersonalDataReference.entities(representations) },
        ])
        return try ExecutableSchema(sdl: sdl, federation: federation, resolvers: resolvers)
    }
}

/// `Role` as the schema spells it.
enum RoleValue: String, GraphQLEnum {
    case buyer = "BUYER", seller = "SELLER", admin = "ADMIN"

    init(_ role: Role) {
        switch role {
        case .buyer: self = .buyer
        case .seller: self = .seller
        case .admin: self = .admin
        }
    }
}

/// `Language` as the schema spells it.
enum LanguageValue: String, GraphQLEnum {
    case ru = "RU", en = "EN"
}

extension User: GraphQLObject {}
extension Seller: GraphQLObject {}

struct UserPage: Sendable, GraphQLObject {
    let users: [User]
    let nextCursor: String?
}

struct AuditPage: Sendable, GraphQLObject {
    let entries: [AuditEntry]
    let nextCursor: String?
}

extension AuditEntry: GraphQLObject {}

struct BecomeSellerPayload: Sendable, GraphQLObject {
    let seller: Seller
    let auth: AuthPayload
}
extension AuthPayload: GraphQLObject {}
