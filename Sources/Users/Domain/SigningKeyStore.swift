import Foundation
import Identity

/// A signing key with its life: made, and retired by a rotation.
public struct StoredSigningKey: Sendable, Equatable {
    public let key: Ed25519SigningKey
    public let createdAt: Date
    public let retiredAt: Date?
}

/// The users service's signing keys, shared by its replicas.
public protocol SigningKeyStore: Sendable {
    /// Keys not retired, or retired after `since`, newest first.
    func keys(retiredAfter since: Date) async throws -> [StoredSigningKey]
    /// Makes a first key when there is none that signs; two replicas starting together make one.
    func ensureKey(at: Date) async throws
    /// Adds a new key and retires the others; answers the new one.
    func rotate(at: Date) async throws -> StoredSigningKey
}
