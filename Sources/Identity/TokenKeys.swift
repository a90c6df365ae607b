import EmporiumCore
import Foundation
import JWTKit

/// The keys tokens are signed and verified with, from configuration.
///
/// HS256 needs a shared secret of at least 32 bytes (shorter HMAC keys are weak, and jwt-kit
/// asserts on them). Public-key deployments give an EdDSA (Ed25519) or ES256 public key in PEM,
/// and the matching private key only where tokens are issued.
public enum TokenKeys: Sendable {
    case hmacSHA256(secret: String)
    case publicKeyPEM(String, privateKeyPEM: String?)

    public static let minimumSecretBytes = 32

    /// The loaded keys and the one JWT `alg` they verify.
    struct Loaded {
        var collection: JWTKeyCollection
        var algorithm: String
    }

    func load() async throws -> Loaded {
        let keys = JWTKeyCollection()
        switch self {
        case .hmacSHA256(let secret):
            guard secret.utf8.count >= Self.minimumSecretBytes else {
                throw EmporiumError(.badUserInput, "EMPORIUM_JWT_SECRET must be at least \(Self.minimumSecretBytes) bytes (got \(secret.utf8.count)); generate one with: openssl rand -hex 32")
            }
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
            return Loaded(collection: keys, algorithm: "HS256")
        case .publicKeyPEM(let publicPEM, let privatePEM):
            if let key = try? EdDSA.PublicKey(pem: publicPEM) {
                if let privatePEM {
                    guard let privateKey = try? EdDSA.PrivateKey(pem: privatePEM) else { throw Self.unreadablePrivateKey(publicKind: "an Ed25519") }
                    // Tokens we issue must verify wherever only the public key is configured.
                    guard privateKey.publicKey == key else { throw Self.mismatchedKeyPair }
                    await keys.add(eddsa: privateKey)
                } else {
                    await keys.add(eddsa: key)
                }
                return Loaded(collection: keys, algorithm: "EdDSA")
            }
            if let key = try? ES256PublicKey(pem: publicPEM) {
                if let privatePEM {
                    guard let privateKey = try? ES256PrivateKey(pem: privatePEM) else { throw Self.unreadablePrivateKey(publicKind: "a P-256") }
                    guard privateKey.publicKey == key else { throw Self.mismatchedKeyPair }
                    await keys.add(ecdsa: privateKey)
                } else {
                    await keys.add(ecdsa: key)
                }
                return Loaded(collection: keys, algorithm: "ES256")
            }
            throw EmporiumError(.badUserInput, "EMPORIUM_JWT_PUBLIC_KEY is neither an Ed25519 nor a P-256 public key in PEM")
        }
    }

    static let mismatchedKeyPair = EmporiumError(
        .badUserInput,
        "EMPORIUM_JWT_PRIVATE_KEY does not belong to EMPORIUM_JWT_PUBLIC_KEY: tokens it signs would not verify elsewhere; configure the matching pair"
    )

    static func unreadablePrivateKey(publicKind: String) -> EmporiumError {
        EmporiumError(.badUserInput, "EMPORIUM_JWT_PUBLIC_KEY is \(publicKind) public key, but EMPORIUM_JWT_PRIVATE_KEY is not \(publicKind) private key in PEM")
    }
}
