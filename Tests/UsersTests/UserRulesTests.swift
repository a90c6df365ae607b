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
        let long = String((0..<128).map { Character(UnicodeScalar(0x430 + ($0 * 7) % 32)!) })
        try PasswordPolicy.check(long, field: "p")
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

    /// The 30,000 most common passwords are shipped and refused, also padded, repeated, typed in
    /// the Russian layout, or as a run of keys; passphrases pass.
    @Test(arguments: [
        ("baseballbaseball", "repeats"),
        ("qwertyuiop123", "most common"),
        ("PASSWORD2024!!", "common password with digits"),
        ("!!!monkey123456", "common password with digits"),
        ("1q2w3e4r5t6y", "most common"),
        ("йцукенгшщзхъ", "common password"),
        ("123456789012", "run of consecutive"),
        ("987654321098", "run of consecutive"),
        ("abcdefghijklm", "run of consecutive"),
        ("aaaaaaaaaaaaaaaa", "repeats"),
        ("ababababababab", "repeats"),
    ])
    func guessablePasswordsAreRefusedSayingWhy(password: String, reason: String) throws {
        #expect(CommonPasswords.all.count >= 29_000, "the list ships with the module")
        do {
            try PasswordPolicy.check(password, field: "input.password")
            Issue.record("\(password) was accepted")
        } catch let error as EmporiumError {
            #expect(error.code == .badUserInput)
            #expect(error.field == "input.password")
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test func passphrasesAndRandomPasswordsPass() throws {
        for password in ["correct horse battery", "Чайник для бабушки 2024", "x7#Kq9!vLm2@pR", "twelve chars", "password manager output: 8f3Kd9"] {
            try PasswordPolicy.check(password, field: "p")
        }
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
