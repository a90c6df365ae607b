import EmporiumCore
import GraphQL
import GraphQLExecution
import GraphQLSupport
import Identity

/// Root fields of the users subgraph: arguments into the account use cases, errors left as
/// `EmporiumError` for the edge to map.
enum UsersResolver {
    @Sendable static func me(_: RootValue, arguments _: FieldArguments, context: UsersContext) async throws -> User {
        try await context.accounts.me(context.principal)
    }

    @Sendable static func register(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> AuthPayload {
        let input = try arguments.required("input")
        func text(_ name: String) throws -> String {
            guard let value = input[name].string else { throw EmporiumError.badInput("\(name) is required", field: "input.\(name)") }
            return value
        }
        return try await context.accounts.register(
            email: try text("email"), password: try text("password"), displayName: try text("displayName"), locale: input["language"].string,
            attempt: context.attempt)
    }

    @Sendable static func login(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> AuthPayload {
        try await context.accounts.login(email: try arguments.requiredString("email"), password: try arguments.requiredString("password"), attempt: context.attempt)
    }

    @Sendable static func refreshSession(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> AuthPayload {
        try await context.accounts.refresh(try arguments.requiredString("refreshToken"), attempt: context.attempt)
    }

    @Sendable static func logout(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> Bool {
        try await context.accounts.logout(try arguments.requiredString("refreshToken"))
        return true
    }

    @Sendable static func logoutEverywhere(_: RootValue, arguments _: FieldArguments, context: UsersContext) async throws -> Int {
        try await context.accounts.logoutEverywhere(by: context.principal)
    }

    @Sendable static func changePassword(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> AuthPayload {
        try await context.accounts.changePassword(
            current: try arguments.requiredString("currentPassword"), new: try arguments.requiredString("newPassword"), by: context.principal)
    }

    @Sendable static func becomeSeller(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> BecomeSellerPayload {
        guard let shopName = try arguments.required("input")["shopName"].string else {
            throw EmporiumError.badInput("shopName is required", field: "input.shopName")
        }
        let (seller, auth) = try await context.accounts.becomeSeller(shopName: shopName, by: context.principal)
        return BecomeSellerPayload(seller: seller, auth: auth)
    }

    /// The shops of a level of users, in one query.
    @Sendable static func sellerOfUsers(_ users: [User], _: FieldArguments, context: UsersContext) async throws -> [Seller?] {
        let found = try await context.accounts.sellers(ids: users.map(\.id))
        return users.map { found[$0.id] }
    }

    /// `_entities` for shops (the catalog's `Product.seller` points here); unknown ids are null —
    /// products of sellers without an account (seeded data) have no shop to show.
    @Sendable static func sellerEntities(_ representations: [Map], context: UsersContext) async throws -> [OutputValue] {
        let ids = representations.map { $0["id"].string.map(UserID.init) }
        let found = try await context.accounts.sellers(ids: ids.compactMap { $0 })
        return ids.map { id in id.flatMap { found[$0] }.outputValue }
    }

    @Sendable static func requestPasswordReset(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> Bool {
        try await context.accounts.requestPasswordReset(email: try arguments.requiredString("email"), attempt: context.attempt)
        return true
    }

    @Sendable static func resetPassword(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> Bool {
        try await context.accounts.resetPassword(token: try arguments.requiredString("token"), newPassword: try arguments.requiredString("newPassword"))
        return true
    }

    @Sendable static func verifyEmail(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> User {
        try await context.accounts.verifyEmail(token: try arguments.requiredString("token"))
    }

    @Sendable static func requestEmailChange(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> Bool {
        try await context.accounts.requestEmailChange(
            newEmail: try arguments.requiredString("newEmail"), password: try arguments.requiredString("password"), by: context.principal)
        return true
    }

    @Sendable static func confirmEmailChange(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> User {
        try await context.accounts.confirmEmailChange(token: try arguments.requiredString("token"))
    }

    @Sendable static func setLanguage(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> User {
        try await context.accounts.setLanguage(try arguments.requiredString("language"), by: context.principal)
    }

    @Sendable static func resendEmailVerification(_: RootValue, arguments _: FieldArguments, context: UsersContext) async throws -> Bool {
        try await context.accounts.resendEmailVerification(by: context.principal)
        return true
    }

    @Sendable static func visibleEmailVerified(_ user: User, _ arguments: FieldArguments, context: UsersContext) -> Bool? {
        visibleEmail(user, arguments, context: context) == nil ? nil : user.isEmailVerified
    }

    @Sendable static func deleteAccount(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> Bool {
        try await context.accounts.deleteAccount(password: try arguments.requiredString("password"), by: context.principal)
        return true
    }

    @Sendable static func myPersonalData(_: RootValue, arguments _: FieldArguments, context: UsersContext) async throws -> PersonalDataReference {
        PersonalDataReference(userID: try Permissions.requireAuthenticated(context.principal).userID)
    }

    @Sendable static func personalAccount(_ reference: PersonalDataReference, arguments _: FieldArguments, context: UsersContext) async throws -> String {
        try reference.authorize(context.principal)
        return try await context.accounts.export(of: reference.userID)
    }

    @Sendable static func exportMyData(_: RootValue, arguments _: FieldArguments, context: UsersContext) async throws -> String {
        try await context.accounts.exportMyData(by: context.principal)
    }

    // MARK: Admins

    @Sendable static func users(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> UserPage {
        let page = try await context.admin.users(first: arguments.int("first"), after: arguments.string("after"), query: arguments.string("query"), by: context.principal)
        return UserPage(users: page.users, nextCursor: page.next)
    }

    @Sendable static func auditLog(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> AuditPage {
        let page = try await context.admin.auditLog(first: arguments.int("first"), after: arguments.string("after"), by: context.principal)
        return AuditPage(entries: page.entries, nextCursor: page.next)
    }

    @Sendable static func setUserRoles(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> User {
        let names = try arguments.required("roles").array ?? []
        var roles = Set<Role>()
        for name in names {
            guard let role = name.string.flatMap({ Role(rawValue: $0.lowercased()) }) else {
                throw EmporiumError.badInput("roles are BUYER, SELLER and ADMIN", field: "roles")
            }
            roles.insert(role)
        }
        return try await context.admin.setRoles(roles, of: UserID(try arguments.requiredString("userId")), by: context.principal)
    }

    @Sendable static func suspendUser(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> User {
        try await context.admin.suspend(UserID(try arguments.requiredString("userId")), reason: try arguments.requiredString("reason"), by: context.principal)
    }

    @Sendable static func reinstateUser(_: RootValue, arguments: FieldArguments, context: UsersContext) async throws -> User {
        try await context.admin.reinstate(UserID(try arguments.requiredString("userId")), by: context.principal)
    }

    @Sendable static func visibleSuspended(_ user: User, _ arguments: FieldArguments, context: UsersContext) -> Bool? {
        visibleEmail(user, arguments, context: context) == nil ? nil : user.isSuspended
    }

    /// The account of a session just started or renewed: its holder sees it in full.
    @Sendable static func payloadUser(_ payload: AuthPayload, _: FieldArguments, context: UsersContext) -> User {
        context.ownAccounts.add(payload.user.id)
        return payload.user
    }

    /// The email to its owner and to admins; null for everyone else (a list of users must not
    /// leak addresses, and an error per item would be noise).
    @Sendable static func visibleEmail(_ user: User, _: FieldArguments, context: UsersContext) -> String? {
        if context.ownAccounts.contains(user.id) { return user.email.rawValue }
        guard let principal = context.principal, principal.isAdmin || principal.userID == user.id else { return nil }
        return user.email.rawValue
    }

    /// `_entities` for users, a batch at a time; unknown or malformed ids are null.
    @Sendable static func userEntities(_ representations: [Map], context: UsersContext) async throws -> [OutputValue] {
        let ids = representations.map { $0["id"].string.map(UserID.init) }
        let found = try await context.accounts.users(ids: ids.compactMap { $0 })
        return ids.map { id in id.flatMap { found[$0] }.outputValue }
    }
}
