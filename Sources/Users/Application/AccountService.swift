import EmporiumCore
import Foundation
import Identity
import Logging
import Mail

/// What login, registration and refresh answer.
public struct AuthPayload: Sendable {
    public let accessToken: String
    public let accessTokenExpiresAt: Date
    public let refreshToken: String
    public let user: User
}

/// The account use cases: registration, login, sessions with rotating refresh tokens, password
/// changes. Errors are `EmporiumError`s a client can show; nothing is written on a refusal.
public struct AccountService: Sendable {
    public static let accessTokenLifetime: Duration = .seconds(15 * 60)
    public static let refreshTokenLifetime: Duration = .seconds(30 * 86_400)
    /// How long a mailed token (password reset, email verification) works.
    public static let mailTokenLifetime: Duration = .seconds(30 * 60)
    /// One answer for an unknown email and a wrong password: which one it was is not told.
    static let wrongCredentials = EmporiumError(.unauthenticated, "the email or password is wrong")
    static let refusedRefresh = EmporiumError(.unauthenticated, "this session has ended or the refresh token is not valid; log in again")

    let users: any UserStore
    let sessions: any SessionStore
    let sellers: any SellerStore
    let mailTokens: any MailTokenStore
    let mailer: any Mailer
    let mail: AccountMail
    let hasher: PasswordHasher
    let signer: AccessTokenSigner
    let keys: SigningKeyRing
    let admission: CredentialAdmission?
    let clock: any TimeSource
    let logger: Logger

    public init(
        users: any UserStore, sessions: any SessionStore, sellers: any SellerStore, mailTokens: any MailTokenStore,
        mailer: any Mailer, mail: AccountMail, hasher: PasswordHasher, signer: AccessTokenSigner, keys: SigningKeyRing,
        admission: CredentialAdmission? = nil,
        clock: any TimeSource = SystemTimeSource(), logger: Logger
    ) {
        self.users = users
        self.sessions = sessions
        self.sellers = sellers
        self.mailTokens = mailTokens
        self.mailer = mailer
        self.mail = mail
        self.hasher = hasher
        self.signer = signer
        self.keys = keys
        self.admission = admission
        self.clock = clock
        self.logger = logger
    }

    /// Who attempts a sign-in: the client's rate-limiting key and where `Retry-After` goes.
    public struct Attempt: Sendable {
        public let client: String
        public let header: @Sendable (String, String) -> Void

        public init(client: String, header: @escaping @Sendable (String, String) -> Void = { _, _ in }) {
            self.client = client
            self.header = header
        }
    }

    private func admit(_ attempt: Attempt, account: Email?) async throws {
        try await admission?.admit(client: attempt.client, account: account?.rawValue, header: attempt.header)
    }

    public func register(email: String, password: String, displayName: String, locale: String?, attempt: Attempt) async throws -> AuthPayload {
        try await admit(attempt, account: nil)
        let email = try Email(parsing: email, field: "input.email")
        try PasswordPolicy.check(password, field: "input.password")
        let name = try DisplayName.parse(displayName, field: "input.displayName")
        let locale = try locale.map { try UserLocale(parsing: $0, field: "input.locale") } ?? .ru
        let draft = User(id: UserID(UUIDText.lowercase(UUIDText.random())), email: email, displayName: name, roles: [.buyer], locale: locale, createdAt: clock.now())
        let created = try await users.create(draft, passwordHash: try await hasher.hash(password))
        logger.info("account registered", metadata: ["user.id": "\(created.id)"])
        mailInBackground(.emailVerification, to: created)
        return try await startSession(for: created)
    }

    public func login(email text: String, password: String, attempt: Attempt) async throws -> AuthPayload {
        let email = try? Email(parsing: text)
        try await admit(attempt, account: email)
        // A malformed email is still a wrong credential, checked at the same cost.
        var found: (user: User, passwordHash: String)?
        if let email { found = try await users.credentials(email: email) }
        guard try await hasher.verify(password, against: found?.passwordHash), let user = found?.user else {
            throw Self.wrongCredentials
        }
        // Told only to whoever knows the password.
        guard !user.isSuspended else { throw EmporiumError(.forbidden, "this account is suspended; contact support") }
        return try await startSession(for: user)
    }

    public func refresh(_ refreshToken: String, attempt: Attempt) async throws -> AuthPayload {
        try await admit(attempt, account: nil)
        guard let hash = OpaqueToken.hash(presented: refreshToken) else { throw Self.refusedRefresh }
        let next = OpaqueToken.generate()
        let now = clock.now()
        switch try await sessions.rotate(tokenHash: hash, to: next.hash, at: now, expiresAt: now + AccountService.refreshTokenLifetime) {
        case .rotated(let userID, _):
            guard let user = try await users.credentials(id: userID)?.user, !user.isSuspended else { throw Self.refusedRefresh }
            return try await payload(for: user, refreshToken: next.text)
        case .reused(let userID, let session):
            // Either the client raced itself or someone else holds a copy; the session is over.
            logger.warning("refresh token reused: session ended", metadata: ["security": "refresh_token_reuse", "user.id": "\(userID)", "session.id": "\(session)"])
            throw Self.refusedRefresh
        case .refused:
            throw Self.refusedRefresh
        }
    }

    /// Ends the session of `refreshToken`. Unknown tokens are not an error (logging out twice is fine).
    public func logout(_ refreshToken: String) async throws {
        guard let hash = OpaqueToken.hash(presented: refreshToken) else { return }
        _ = try await sessions.endSession(tokenHash: hash, at: clock.now())
    }

    /// Ends every session of the caller; access tokens already issued expire within 15 minutes.
    public func logoutEverywhere(by principal: Principal?) async throws -> Int {
        let principal = try Permissions.requireAuthenticated(principal)
        return try await sessions.endSessions(of: principal.userID, at: clock.now(), reason: "logout everywhere")
    }

    /// Sets a new password after checking the current one, ends every session, and starts a new
    /// one for the caller (its other devices must log in again).
    public func changePassword(current: String, new: String, by principal: Principal?) async throws -> AuthPayload {
        let principal = try Permissions.requireAuthenticated(principal)
        try PasswordPolicy.check(new, field: "newPassword")
        guard let found = try await users.credentials(id: principal.userID) else {
            throw EmporiumError(.unauthenticated, "this account no longer exists")
        }
        guard try await hasher.verify(current, against: found.passwordHash) else {
            throw EmporiumError(.unauthenticated, "the current password is wrong", field: "currentPassword")
        }
        let now = clock.now()
        try await users.setPasswordHash(try await hasher.hash(new), for: principal.userID, at: now)
        _ = try await sessions.endSessions(of: principal.userID, at: now, reason: "password changed")
        return try await startSession(for: found.user)
    }

    /// Opens the caller's shop and makes them a seller. Answers a new session: the caller's
    /// access token does not carry the role yet.
    public func becomeSeller(shopName: String, by principal: Principal?) async throws -> (Seller, AuthPayload) {
        let principal = try Permissions.requireAuthenticated(principal)
        let name = try ShopName.parse(shopName, field: "input.shopName")
        let seller = try await sellers.activate(user: principal.userID, shopName: name, slug: Slug(from: name, fallback: "shop"), at: clock.now())
        guard let user = try await users.credentials(id: principal.userID)?.user else {
            throw EmporiumError(.notFound, "this account no longer exists")
        }
        logger.info("seller activated", metadata: ["user.id": "\(user.id)", "seller.slug": "\(seller.slug)"])
        return (seller, try await startSession(for: user))
    }

    public func sellers(ids: [UserID]) async throws -> [UserID: Seller] {
        try await sellers.sellers(ids: ids)
    }

    /// Mails a reset link when an account has this email. The answer is the same, and as fast,
    /// whether it has or not: the lookup, the token and the mail happen after it.
    public func requestPasswordReset(email text: String, attempt: Attempt) async throws {
        let email = try Email(parsing: text)
        try await admit(attempt, account: email)
        // Fire and forget, on purpose: the answer must not wait for the lookup, or its timing
        // would tell whether the address has an account. The work is short (a read, an insert,
        // a file); one lost at shutdown is a mail the user asks for again.
        Task { [self] in
            do {
                guard let user = try await users.credentials(email: email)?.user else { return }
                try await send(.passwordReset, to: user)
            } catch {
                logger.error("password reset mail failed; the user can ask again", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Sets a new password with a mailed token and ends every session of the account.
    public func resetPassword(token: String, newPassword: String) async throws {
        try PasswordPolicy.check(newPassword, field: "newPassword")
        let now = clock.now()
        guard let hash = OpaqueToken.hash(presented: token), let user = try await mailTokens.redeem(hash: hash, purpose: .passwordReset, at: now) else {
            throw EmporiumError(.unauthenticated, "this reset link has expired or was already used; ask for a new one")
        }
        try await users.setPasswordHash(try await hasher.hash(newPassword), for: user, at: now)
        let ended = try await sessions.endSessions(of: user, at: now, reason: "password reset")
        logger.info("password reset", metadata: ["user.id": "\(user)", "sessions.ended": "\(ended)"])
    }

    /// Confirms the account's email with a mailed token.
    public func verifyEmail(token: String) async throws -> User {
        let now = clock.now()
        guard let hash = OpaqueToken.hash(presented: token), let id = try await mailTokens.redeem(hash: hash, purpose: .emailVerification, at: now) else {
            throw EmporiumError(.unauthenticated, "this confirmation link has expired or was already used")
        }
        try await mailTokens.markEmailVerified(id, at: now)
        guard let user = try await users.credentials(id: id)?.user else { throw EmporiumError(.notFound, "this account no longer exists") }
        return user
    }

    /// Sends a new confirmation mail to the caller.
    public func resendEmailVerification(by principal: Principal?) async throws {
        let user = try await me(principal)
        guard !user.isEmailVerified else { return }
        try await send(.emailVerification, to: user)
    }

    /// Starts moving the caller's account to `newEmail` (the password confirms it is them): a
    /// link goes to the new address, and nothing changes until it is followed.
    public func requestEmailChange(newEmail text: String, password: String, by principal: Principal?) async throws {
        let principal = try Permissions.requireAuthenticated(principal)
        let newEmail = try Email(parsing: text, field: "newEmail")
        guard let found = try await users.credentials(id: principal.userID), !found.user.roles.isEmpty else {
            throw EmporiumError(.notFound, "this account no longer exists")
        }
        guard try await hasher.verify(password, against: found.passwordHash) else {
            throw EmporiumError(.unauthenticated, "the password is wrong", field: "password")
        }
        guard newEmail != found.user.email else {
            throw EmporiumError.badInput("this is already the account's address", field: "newEmail")
        }
        // Told at once, as registration tells: the caller proved who they are.
        guard try await users.credentials(email: newEmail) == nil else {
            throw EmporiumError(.conflict, "another account has this address", field: "newEmail")
        }
        try await send(.emailChange, to: found.user, newEmail: newEmail)
    }

    /// Follows an email-change link: the account moves to the new address (confirmed by the link
    /// itself), `UserEmailChanged` is announced, and the old address is told.
    public func confirmEmailChange(token: String) async throws -> User {
        guard let hash = OpaqueToken.hash(presented: token), let change = try await mailTokens.changeEmail(hash: hash, at: clock.now()) else {
            throw EmporiumError(.unauthenticated, "this link has expired or was already used; ask for a new one")
        }
        guard let user = try await users.credentials(id: change.user)?.user else { throw EmporiumError(.notFound, "this account no longer exists") }
        logger.info("email changed", metadata: ["user.id": "\(user.id)"])
        // Fire and forget, like the confirmation at registration: the move has committed; a
        // notice lost at shutdown is logged, not retried.
        Task { [self] in
            do { try await mailer.send(mail.emailChanged(to: user, oldEmail: change.previousEmail)) } catch {
                logger.error("the notice to the old address failed", metadata: ["user.id": "\(user.id)", "error": "\(error)"])
            }
        }
        return user
    }

    /// Sets the language of the caller's notifications and mail.
    public func setLanguage(_ text: String, by principal: Principal?) async throws -> User {
        let principal = try Permissions.requireAuthenticated(principal)
        let locale = try UserLocale(parsing: text, field: "language")
        guard let user = try await users.setLocale(locale, for: principal.userID, at: clock.now()) else {
            throw EmporiumError(.notFound, "this account no longer exists")
        }
        return user
    }

    private func send(_ purpose: MailTokenPurpose, to user: User, newEmail: Email? = nil) async throws {
        let token = OpaqueToken.generate()
        let now = clock.now()
        try await mailTokens.issue(
            hash: token.hash, user: user.id, email: user.email, purpose: purpose, newEmail: newEmail, at: now, expiresAt: now + Self.mailTokenLifetime)
        let minutes = Int(Self.mailTokenLifetime.components.seconds / 60)
        let message = switch purpose {
        case .passwordReset: mail.passwordReset(to: user, token: token.text, validFor: minutes)
        case .emailVerification: mail.emailVerification(to: user, token: token.text, validFor: minutes)
        case .emailChange: mail.emailChange(to: user, newEmail: newEmail ?? user.email, token: token.text, validFor: minutes)
        }
        try await mailer.send(message)
    }

    /// Sends without holding up the answer; a failure is logged (the user can ask again).
    private func mailInBackground(_ purpose: MailTokenPurpose, to user: User) {
        // Fire and forget, on purpose: registration must not wait on the mailer. Short (an
        // insert and a file); one lost at shutdown is a confirmation the user asks for again.
        Task { [self] in
            do { try await send(purpose, to: user) } catch {
                logger.error("account mail failed; the user can ask again", metadata: ["mail.purpose": "\(purpose.rawValue)", "error": "\(error)"])
            }
        }
    }

    /// Deletes the caller's account after checking the password: personal data is erased at once
    /// (docs/users.md says what stays), sessions end, access tokens expire within 15 minutes.
    public func deleteAccount(password: String, by principal: Principal?) async throws {
        let principal = try Permissions.requireAuthenticated(principal)
        // A live account is at least a buyer; an erased one has no roles left.
        guard let found = try await users.credentials(id: principal.userID), !found.user.roles.isEmpty else {
            throw EmporiumError(.notFound, "this account no longer exists")
        }
        guard try await hasher.verify(password, against: found.passwordHash) else {
            throw EmporiumError(.unauthenticated, "the password is wrong", field: "password")
        }
        try await users.erase(principal.userID, at: clock.now())
        logger.info("account deleted", metadata: ["user.id": "\(principal.userID)"])
    }

    /// Everything this service keeps about the caller, as a JSON document.
    public func exportMyData(by principal: Principal?) async throws -> String {
        try await export(of: try Permissions.requireAuthenticated(principal).userID)
    }

    /// Everything this service keeps about `user` (the caller checked who may read it).
    public func export(of user: UserID) async throws -> String {
        guard let document = try await users.export(user) else {
            throw EmporiumError(.notFound, "this account no longer exists")
        }
        return document
    }

    public func me(_ principal: Principal?) async throws -> User {
        let principal = try Permissions.requireAuthenticated(principal)
        guard let user = try await users.credentials(id: principal.userID)?.user else {
            throw EmporiumError(.notFound, "this account no longer exists")
        }
        return user
    }

    public func users(ids: [UserID]) async throws -> [UserID: User] {
        try await users.users(ids: ids)
    }

    private func startSession(for user: User) async throws -> AuthPayload {
        let token = OpaqueToken.generate()
        let now = clock.now()
        try await sessions.start(session: UUIDText.random(), user: user.id, tokenHash: token.hash, at: now, expiresAt: now + AccountService.refreshTokenLifetime)
        return try await payload(for: user, refreshToken: token.text)
    }

    private func payload(for user: User, refreshToken: String) async throws -> AuthPayload {
        let now = clock.now()
        let access = try await signer.sign(userID: user.id, roles: user.roles, validFor: Self.accessTokenLifetime, now: now, with: try await keys.current())
        return AuthPayload(accessToken: access, accessTokenExpiresAt: now + Self.accessTokenLifetime, refreshToken: refreshToken, user: user)
    }
}

extension Date {
    static func + (date: Date, duration: Duration) -> Date {
        date.addingTimeInterval(Double(duration.components.seconds))
    }
}
