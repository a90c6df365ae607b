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

    func keyCollection() async throws -> JWTKeyCollection {
        let keys = JWTKeyCollection()
        switch self {
        case .hmacSHA256(let secret):
            guard secret.utf8.count >= Self.minimumSecretBytes else {
                throw EmporiumError(.badUserInput, "EMPORIUM_JWT_SECRET must be at least \(Self.minimumSecretBytes) bytes (got \(secret.utf8.count)); generate one with: openssl rand -hex 32")
            }
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        case .publicKeyPEM(let publicPEM, let privatePEM):
            if let privatePEM {
                if let key = try? EdDSA.PrivateKey(pem: privatePEM) {
                    await keys.add(eddsa: key)
                } else if let key = try? ES256PrivateKey(pem: privatePEM) {
                    await keys.add(ecdsa: key)
                } else {
                    throw EmporiumError(.badUserInput, "EMPORIUM_JWT_PRIVATE_KEY is neither an Ed25519 nor a P-256 private key in PEM")
                }
            } else if let key = try? EdDSA.PublicKey(pem: publicPEM) {
                await keys.add(eddsa: key)
            } else if let key = try? ES256PublicKey(pem: publicPEM) {
                await keys.add(ecdsa: key)
            } else {
                throw EmporiumError(.badUserInput, "EMPORIUM_JWT_PUBLIC_KEY is neither an Ed25519 nor a P-256 public key in PEM")
            }
        }
        return keys
    }
}
