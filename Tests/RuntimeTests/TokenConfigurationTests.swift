import Foundation
import Identity
import Logging
import Runtime
import ServiceKit
import Testing

/// The token settings a process starts with: claims it requires, and keys that must match.
@Suite struct TokenConfigurationTests {
    static let publicPEM = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
        -----END PUBLIC KEY-----
        """

    /// An Ed25519 private key in PKCS#8 PEM from a 32-byte seed (any seed is a valid key).
    static func privatePEM(seed: UInt8) -> String {
        let prefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
        let der = Data(prefix + [UInt8](repeating: seed, count: 32))
        return "-----BEGIN PRIVATE KEY-----\n\(der.base64EncodedString())\n-----END PRIVATE KEY-----"
    }

    @Test func issuerAudienceAndLifetimeComeFromTheEnvironment() throws {
        let defaults = try RuntimeConfiguration.fromEnvironment([:]).tokenPolicy
        #expect(defaults == TokenPolicy())
        #expect(defaults.issuer == "emporium" && defaults.audience == "emporium" && defaults.maximumLifetime == .seconds(86_400))
        let configured = try RuntimeConfiguration.fromEnvironment([
            "EMPORIUM_JWT_ISSUER": "https://id.example", "EMPORIUM_JWT_AUDIENCE": "shop", "EMPORIUM_JWT_MAX_LIFETIME": "3600",
        ]).tokenPolicy
        #expect(configured == TokenPolicy(issuer: "https://id.example", audience: "shop", maximumLifetime: .seconds(3600)))
        for bad in ["0", "-1", "abc", "99999999999999999999", "2592001"] {
            #expect(throws: ConfigurationError.self, "\(bad)") {
                try RuntimeConfiguration.fromEnvironment(["EMPORIUM_JWT_MAX_LIFETIME": bad])
            }
        }
    }

    @Test func aPrivateKeyOfAnotherPairStopsStartUp() async throws {
        var configuration = try RuntimeConfiguration.fromEnvironment([:])
        configuration.jwtPublicKey = Self.publicPEM
        configuration.jwtPrivateKey = Self.privatePEM(seed: 7)
        await #expect {
            try await configuration.tokenService(logger: Logger(label: "test"))
        } throws: { error in
            String(describing: error).contains("EMPORIUM_JWT_PRIVATE_KEY does not belong to EMPORIUM_JWT_PUBLIC_KEY")
        }
    }
}
