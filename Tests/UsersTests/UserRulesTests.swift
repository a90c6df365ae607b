import EmporiumCore
import Testing
@testable import Users

/// The account rules that need no database.
@Suite struct UserRulesTests {
    @Test func emailsAreTrimmedLowercasedAndChecked() throws {
        #expect(try Email(parsing: "  Anna.Petrova@Mail.RU ").rawValue == "anna.petrova@mail.ru")
        for bad in ["", "anna", "anna@", "@mail.ru", "anna@mail", "an na@mail.ru", "anna@@mail.ru", "anna@mail..ru", "anna@-mail.ru", "a\u{0}b@mail.ru",
                    String(repeating: "a", count: 65) + "@mail.ru", "a@" + String(repeating: "b", count: 250) + ".ru"] {
            #expect(throws: EmporiumError.self, "\(bad.prefix(20))") { try Email(parsing: bad) }
        }
        let error = try #require(throws: EmporiumError.self) { try Email(parsing: "nope", field: "input.email") }
        #expect(error.code == .badUserInput && error.field == "input.email")
    }

    @Test func passwordsAreTwelveToOneHundredTwentyEightCharacters() throws {
        try PasswordPolicy.check("twelve chars", field: "p")
        try PasswordPolicy.check(String(repeating: "я", count: 128), field: "p")
        #expect(throws: EmporiumError.self) { try PasswordPolicy.check("eleven char", field: "p") }
        #expect(throws: EmporiumError.self) { try PasswordPolicy.check(String(repeating: "я", count: 129), field: "p") }
        #expect(throws: EmporiumError.self) { try PasswordPolicy.check("twelve\u{0}chars!", field: "p") }
    }

    @Test func displayNamesAndLanguages() throws {
        #expect(try DisplayName.parse("  Анна  ", field: "n") == "Анна")
        #expect(throws: EmporiumError.self) { try DisplayName.parse("   ", field: "n") }
        #expect(throws: EmporiumError.self) { try DisplayName.parse(String(repeating: "x", count: 65), field: "n") }
        #expect(try UserLocale(parsing: "EN", field: "l") == .en)
        #expect(throws: EmporiumError.self) { try UserLocale(parsing: "de", field: "l") }
    }

    @Test func refreshTokensAre256RandomBitsAndOnlyTheirShapeIsHashed() {
        let token = OpaqueToken.generate().text
        #expect(token.utf8.count == 43 && token != OpaqueToken.generate().text)
        #expect(OpaqueToken.hash(presented: token)?.count == 32)
        let issued = OpaqueToken.generate()
        #expect(OpaqueToken.hash(presented: issued.text) == issued.hash)
        #expect(OpaqueToken.hash(presented: "short") == nil)
        #expect(OpaqueToken.hash(presented: String(repeating: "+", count: 43)) == nil)
    }

    @Test func passwordsLongerThanBcryptReadsStillCountEveryCharacter() async throws {
        let hasher = try PasswordHasher(cost: 4)
        // Two passphrases that share bcrypt's first 72 bytes differ after the SHA-256 pre-hash.
        let prefix = String(repeating: "ж", count: 40)
        let hash = try await hasher.hash(prefix + "один")
        #expect(try await hasher.verify(prefix + "один", against: hash))
        #expect(try await hasher.verify(prefix + "два", against: hash) == false)
        // The decoy never matches, whatever the password.
        #expect(try await hasher.verify(prefix + "один", against: nil) == false)
        #expect(throws: EmporiumError.self) { try PasswordHasher(cost: 3) }
        #expect(throws: EmporiumError.self) { try PasswordHasher(cost: 32) }
    }
}
