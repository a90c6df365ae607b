import Contracts
import Database
import EmporiumCore
import EmporiumTesting
import Foundation
import Logging
import Mail
import PostgresNIO
import Testing
@testable import Users

/// Changing the address (only through a link mailed to the new one) and the language, each
/// announced through the outbox.
@Suite(.timeLimit(.minutes(2))) struct ProfileChangeTests {
    /// Waits until `mailbox` holds more than `count` messages; answers the newest one's
    /// recipient, decoded text and link token (when it has one).
    static func mail(in mailbox: FileMailer, after count: Int) async throws -> (to: String, text: String, token: String?) {
        try await eventually("mail number \(count + 1)") { try mailbox.messages().count > count }
        // Give a racing background mail a moment, then insist that exactly one more arrived.
        try await Task.sleep(for: .milliseconds(100))
        let messages = try mailbox.messages()
        #expect(messages.count == count + 1, "expected one new mail, found \(messages.count - count)")
        let newest = try #require(messages.last)
        let eml = try String(contentsOf: newest.file, encoding: .utf8)
        let to = eml.split(separator: "\r\n").first { $0.hasPrefix("To: ") }.map { String($0.dropFirst(4)) } ?? ""
        let token = newest.text.split(separator: "\n").first { $0.contains("?token=") }.map { String($0.split(separator: "=").last ?? "") }
        return (to, newest.text, token)
    }

    static func outbox(_ client: PostgresClient, _ type: String) async throws -> [String] {
        try await client.query("SELECT payload FROM users.outbox WHERE event_type = \(type) ORDER BY id", logger: Logger(label: "test"))
            .decode(String.self).collectAll()
    }

    @Test func anAddressMovesOnlyThroughTheLinkMailedToIt() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users_email", migrations: [try UsersService.migrationSet()])
        try await withPostgresClient(configuration, logger: Logger(label: "test")) { client in
            let (service, mailbox) = try await makeUsersService(client: client)
            let accounts = service.accounts
            let anna = try await accounts.register(email: "anna@example.com", password: "correct horse battery", displayName: "Anna", locale: "en")
            _ = try await Self.mail(in: mailbox, after: 0)
            _ = try await accounts.register(email: "boris@example.com", password: "correct horse battery", displayName: "Boris", locale: nil)
            _ = try await Self.mail(in: mailbox, after: 1)
            let principal = try await accounts.verify(anna.accessToken)

            // Refusals say what to fix and mail nothing.
            let refusals: [(String, String, EmporiumError.Code, String)] = [
                ("anna.new@example.com", "wrong password here", .unauthenticated, "password"),
                ("ANNA@example.com", "correct horse battery", .badUserInput, "newEmail"),
                ("boris@example.com", "correct horse battery", .conflict, "newEmail"),
                ("not an address", "correct horse battery", .badUserInput, "newEmail"),
            ]
            for (address, password, code, field) in refusals {
                await #expect {
                    try await accounts.requestEmailChange(newEmail: address, password: password, by: principal)
                } throws: { ($0 as? EmporiumError)?.code == code && ($0 as? EmporiumError)?.field == field }
            }
            await #expect { try await accounts.requestEmailChange(newEmail: "a@b.example", password: "x", by: nil) } throws: {
                ($0 as? EmporiumError)?.code == .unauthenticated
            }
            try await Task.sleep(for: .milliseconds(100))
            #expect(try mailbox.messages().count == 2)

            // The link goes to the new address, in the user's language; nothing moves before it is followed.
            try await accounts.requestEmailChange(newEmail: " Anna.New@Example.com ", password: "correct horse battery", by: principal)
            let link = try await Self.mail(in: mailbox, after: 2)
            #expect(link.to == "anna.new@example.com")
            #expect(link.text.contains("https://shop.example/account/confirm-email-change?token="))
            let token = try #require(link.token)
            #expect(try await accounts.me(principal).email.rawValue == "anna@example.com")
            #expect(try await Self.outbox(client, "UserEmailChanged").isEmpty)

            let moved = try await accounts.confirmEmailChange(token: token)
            #expect(moved.email.rawValue == "anna.new@example.com")
            #expect(moved.isEmailVerified, "the link itself proves the new address works")
            // The old address is told.
            let notice = try await Self.mail(in: mailbox, after: 3)
            #expect(notice.to == "anna@example.com")
            #expect(notice.text.contains("anna.new@example.com"))
            // Once only; the new address signs in, the old one no longer does.
            await #expect { try await accounts.confirmEmailChange(token: token) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            await #expect { try await accounts.confirmEmailChange(token: "garbage") } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            _ = try await accounts.login(email: "anna.new@example.com", password: "correct horse battery")
            await #expect { try await accounts.login(email: "anna@example.com", password: "correct horse battery") } throws: {
                ($0 as? EmporiumError)?.code == .unauthenticated
            }
            let events = try await Self.outbox(client, "UserEmailChanged").map { try JSONDecoder().decode(UserEmailChanged.self, from: Data($0.utf8)) }
            #expect(events == [UserEmailChanged(userId: anna.user.id.rawValue, email: "anna.new@example.com")])

            // Two links in flight: following one voids the other (it was for an address the
            // account no longer has).
            try await accounts.requestEmailChange(newEmail: "first@example.com", password: "correct horse battery", by: principal)
            let first = try #require(try await Self.mail(in: mailbox, after: 4).token)
            try await accounts.requestEmailChange(newEmail: "second@example.com", password: "correct horse battery", by: principal)
            let second = try #require(try await Self.mail(in: mailbox, after: 5).token)
            #expect(try await accounts.confirmEmailChange(token: second).email.rawValue == "second@example.com")
            await #expect { try await accounts.confirmEmailChange(token: first) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            #expect(try await accounts.me(principal).email.rawValue == "second@example.com")
        }
    }

    /// Another account registering the address between the request and the link: the link is
    /// refused with CONFLICT and nothing moves.
    @Test func anAddressTakenMeanwhileIsAConflict() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users_email_race", migrations: [try UsersService.migrationSet()])
        try await withPostgresClient(configuration, logger: Logger(label: "test")) { client in
            let (service, mailbox) = try await makeUsersService(client: client)
            let accounts = service.accounts
            let anna = try await accounts.register(email: "anna@example.com", password: "correct horse battery", displayName: "Anna", locale: nil)
            _ = try await Self.mail(in: mailbox, after: 0)
            try await accounts.requestEmailChange(newEmail: "shared@example.com", password: "correct horse battery", by: try await accounts.verify(anna.accessToken))
            let token = try #require(try await Self.mail(in: mailbox, after: 1).token)
            _ = try await accounts.register(email: "shared@example.com", password: "correct horse battery", displayName: "Other", locale: nil)
            await #expect { try await accounts.confirmEmailChange(token: token) } throws: { ($0 as? EmporiumError)?.code == .conflict }
            #expect(try await accounts.me(try await accounts.verify(anna.accessToken)).email.rawValue == "anna@example.com")
            #expect(try await Self.outbox(client, "UserEmailChanged").isEmpty)
        }
    }

    @Test func theLanguageChangesAndIsAnnouncedOnlyWhenItChanged() async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "users_language", migrations: [try UsersService.migrationSet()])
        try await withPostgresClient(configuration, logger: Logger(label: "test")) { client in
            let (service, mailbox) = try await makeUsersService(client: client)
            let accounts = service.accounts
            let anna = try await accounts.register(email: "anna@example.com", password: "correct horse battery", displayName: "Анна", locale: nil)
            _ = try await Self.mail(in: mailbox, after: 0)
            let principal = try await accounts.verify(anna.accessToken)
            #expect(anna.user.locale == .ru)

            await #expect { try await accounts.setLanguage("DE", by: principal) } throws: { ($0 as? EmporiumError)?.field == "language" }
            await #expect { try await accounts.setLanguage("EN", by: nil) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
            #expect(try await accounts.setLanguage("EN", by: principal).locale == .en)
            #expect(try await accounts.setLanguage("EN", by: principal).locale == .en)
            let events = try await Self.outbox(client, "UserLocaleChanged").map { try JSONDecoder().decode(UserLocaleChanged.self, from: Data($0.utf8)) }
            #expect(events == [UserLocaleChanged(userId: anna.user.id.rawValue, language: "en")])

            // Mail follows the new language.
            try await accounts.resendEmailVerification(by: principal)
            #expect(try await Self.mail(in: mailbox, after: 1).text.contains("Please confirm this address"))
        }
    }
}
