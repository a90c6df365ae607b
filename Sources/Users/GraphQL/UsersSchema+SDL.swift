extension UsersSchema {
    /// The users' federation v2 subgraph SDL, as `_service { sdl }` returns it.
    public static let sdl = #"""
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        "An ISO 8601 date-time in UTC, e.g. 2026-11-25T09:00:00.000Z."
        scalar DateTime

        enum Role {
          BUYER
          SELLER
          ADMIN
        }

        "The language of a user's notifications and mail."
        enum Language {
          RU
          EN
        }

        "An account. Its email is shown to the user themself and to admins; null for anyone else."
        type User @key(fields: "id") {
          id: ID!
          displayName: String!
          email: String
          roles: [Role!]!
          language: Language!
          createdAt: DateTime!
          "Whether the email was confirmed; shown like the email."
          emailVerified: Boolean
          "Whether an admin suspended the account; shown like the email."
          suspended: Boolean
          "The user's shop, when they sell."
          seller: Seller
        }

        "A shop. Its id is its owner's user id."
        type Seller @key(fields: "id") {
          id: ID!
          shopName: String!
          "Unique, transliterated from the shop name (e.g. knizhnaya-lavka)."
          slug: String!
          since: DateTime!
        }

        input BecomeSellerInput {
          "1 to 80 characters."
          shopName: String!
        }

        "A new shop and a session whose access token carries the seller role."
        type BecomeSellerPayload {
          seller: Seller!
          auth: AuthPayload!
        }

        "A session: an access token for the Authorization header (15 minutes) and a refresh token to get the next one (30 days, single use)."
        type AuthPayload {
          accessToken: String!
          accessTokenExpiresAt: DateTime!
          refreshToken: String!
          user: User!
        }

        input RegisterInput {
          email: String!
          "12 to 128 characters, not a common password (docs/users.md)."
          password: String!
          displayName: String!
          "Russian when not given."
          language: Language
        }

        "A page of users, newest first."
        type UserPage {
          users: [User!]!
          "Pass as `after` for the next page; null on the last."
          nextCursor: String
        }

        "Everything Emporium keeps about a user: one JSON document per service that keeps any. Ask for every field to have it all."
        type PersonalData @key(fields: "userId") {
          userId: ID!
          "What the users service keeps: account, shop, sessions (times and how they ended), admin actions about the user; no password or token hashes."
          account: String!
        }

        "An admin action."
        type AuditEntry {
          id: ID!
          "The admin's user id, or `cli` for `emporium users …`."
          actorId: String!
          "set_roles, suspend or reinstate."
          action: String!
          subjectId: ID
          detail: String!
          at: DateTime!
        }

        type AuditPage {
          entries: [AuditEntry!]!
          nextCursor: String
        }

        type Query {
          "The caller's account (needs an access token)."
          me: User!
          "Admins: accounts, newest first; `query` matches the start of an email or display name."
          users(first: Int = 20, after: String, query: String): UserPage!
          "Admins: who changed whose roles, suspensions; newest first."
          auditLog(first: Int = 20, after: String): AuditPage!
          "Everything the users service keeps about the caller (account, shop, sessions, admin actions), as a JSON document."
          exportMyData: String!
          "Everything Emporium keeps about the caller, each service's part a field: { myPersonalData { account orders notifications } }."
          myPersonalData: PersonalData!
        }

        type Mutation {
          register(input: RegisterInput!): AuthPayload!
          "The same error for an unknown email and a wrong password."
          login(email: String!, password: String!): AuthPayload!
          "Answers a new refresh token; the one given stops working. Presenting a used one ends its session."
          refreshSession(refreshToken: String!): AuthPayload!
          "Ends the session of this refresh token; true even when it had ended already."
          logout(refreshToken: String!): Boolean!
          "Ends every session of the caller; answers how many were open. Access tokens already issued expire within 15 minutes."
          logoutEverywhere: Int!
          "Ends every session, including this one, and answers a new one."
          changePassword(currentPassword: String!, newPassword: String!): AuthPayload!
          "Mails a reset link when an account has this email; true either way (it does not tell whether one has)."
          requestPasswordReset(email: String!): Boolean!
          "Sets a new password with the mailed token (30 minutes, single use) and ends every session."
          resetPassword(token: String!, newPassword: String!): Boolean!
          "Confirms the email with the mailed token."
          verifyEmail(token: String!): User!
          "Mails a new confirmation link to the caller."
          resendEmailVerification: Boolean!
          "Mails a link to the new address (the password again, to be sure); nothing changes until it is followed."
          requestEmailChange(newEmail: String!, password: String!): Boolean!
          "Follows the link mailed by requestEmailChange (30 minutes, single use): the account moves to the new address, confirmed, and the old one is told."
          confirmEmailChange(token: String!): User!
          "The language of the caller's notifications and mail."
          setLanguage(language: Language!): User!
          "Deletes the caller's account (the password again, to be sure): personal data is erased at once."
          deleteAccount(password: String!): Boolean!
          "Admins: sets a user's roles exactly (everyone stays a buyer)."
          setUserRoles(userId: ID!, roles: [Role!]!): User!
          "Admins: the account cannot log in or refresh; its sessions end now, its access tokens within 15 minutes."
          suspendUser(userId: ID!, reason: String!): User!
          "Admins: lifts a suspension."
          reinstateUser(userId: ID!): User!
          "Opens the caller's shop (one per user) and adds the seller role."
          becomeSeller(input: BecomeSellerInput!): BecomeSellerPayload!
        }
        """#
}
