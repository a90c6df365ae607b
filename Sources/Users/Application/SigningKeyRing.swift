import EmporiumCore
import Foundation
import Identity
import Logging
import ServiceLifecycle
import Synchronization

/// The keys this process signs access tokens with, and the JWKS it publishes: read from the
/// store at start (making the first key if there is none) and again every `reloadInterval`, so a
/// rotation made by `emporium keys rotate` reaches every replica within that time.
///
/// A retired key stays in the JWKS for the longest an access token lives plus the clock skew:
/// tokens it signed keep verifying until they have expired anyway.
public final class SigningKeyRing: JWKSSource, Service {
    let store: any SigningKeyStore
    let clock: any TimeSource
    let reloadInterval: Duration
    /// How long a retired key keeps verifying.
    let verifyingAfterRetirement: Duration
    let logger: Logger
    private let keys = Mutex<[StoredSigningKey]>([])

    public init(
        store: any SigningKeyStore, clock: any TimeSource = SystemTimeSource(), reloadInterval: Duration = .seconds(60),
        verifyingAfterRetirement: Duration, logger: Logger
    ) {
        self.store = store
        self.clock = clock
        self.reloadInterval = reloadInterval
        self.verifyingAfterRetirement = verifyingAfterRetirement
        self.logger = logger
    }

    /// Reads the keys, making the first one when the store has none that signs.
    public func load() async throws {
        try await store.ensureKey(at: clock.now())
        try await reload()
    }

    public func reload() async throws {
        let since = clock.now().addingTimeInterval(-Double(verifyingAfterRetirement.components.seconds))
        let found = try await store.keys(retiredAfter: since)
        keys.withLock { $0 = found }
    }

    /// The key that signs now: the newest not retired. Loaded on first use when a request comes
    /// before the background load (the server answers once migrations have run).
    public func current() async throws -> Ed25519SigningKey {
        if let key = signing() { return key }
        try await load()
        guard let key = signing() else { throw EmporiumError(.unavailable, "no signing key is loaded yet; retry shortly") }
        return key
    }

    private func signing() -> Ed25519SigningKey? {
        keys.withLock { $0.first { $0.retiredAt == nil }?.key }
    }

    public func jwksJSON() async throws -> String {
        if signing() == nil { try await load() }
        return try AccessTokenSigner.jwksJSON(keys.withLock { $0.map(\.key) })
    }

    /// Loads the keys (retrying while the database is not ready), then reloads them until shut
    /// down; a failed reload keeps the keys it had and is logged.
    public func run() async throws {
        var attempt = 0
        while !Task.isCancelled {
            do {
                try await load()
                break
            } catch {
                attempt += 1
                logger.warning("signing keys could not be loaded yet; logins answer SERVICE_UNAVAILABLE meanwhile", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) } } catch { return }
            }
        }
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: self.reloadInterval) }
            } catch { return }
            do { try await reload() } catch {
                logger.warning("signing keys could not be reloaded; the ones loaded stay in use", metadata: ["error": "\(error)"])
            }
        }
    }
}
