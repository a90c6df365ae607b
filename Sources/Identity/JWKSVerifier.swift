import Foundation
import JWTKit
import Synchronization

/// Where a process reads the public keys of the tokens it accepts: the users service's JWKS,
/// in process on the single node, over HTTP (`EMPORIUM_JWKS_URL`) elsewhere.
public protocol JWKSSource: Sendable {
    func jwksJSON() async throws -> String
}

/// Verifies EdDSA tokens by their `kid` against a JWKS, fetched once and again when a token
/// names a key not seen yet (a rotation) — at most once per `refetchInterval`, so a flood of
/// tokens with invented kids costs one fetch, not one each.
final class JWKSVerifier: Sendable {
    let source: any JWKSSource
    let refetchInterval: Duration

    private struct State {
        var keys: JWTKeyCollection?
        var kids: Set<String> = []
        var fetchedAt: ContinuousClock.Instant?
        /// The last fetch failed: until the next may run, unknown kids are "cannot check", not "invalid".
        var failed = false
    }
    private let state = Mutex(State())

    init(source: any JWKSSource, refetchInterval: Duration = .seconds(5)) {
        self.source = source
        self.refetchInterval = refetchInterval
    }

    /// The keys, refetched first when `kid` is unknown and the last fetch is old enough.
    func keys(for kid: String) async throws -> JWTKeyCollection? {
        let (known, keys, mayFetch, failed) = state.withLock { state in
            let mayFetch = state.fetchedAt.map { ContinuousClock.now - $0 >= refetchInterval } ?? true
            return (state.kids.contains(kid), state.keys, mayFetch, state.failed)
        }
        if known { return keys }
        guard mayFetch else {
            if failed { throw JWKSUnavailable() }
            return nil
        }
        state.withLock { $0.fetchedAt = .now }
        let fresh = JWTKeyCollection()
        let kids: Set<String>
        do {
            let json = try await source.jwksJSON()
            try await fresh.add(jwksJSON: json)
            kids = Set(try Self.kids(in: json))
        } catch {
            state.withLock { $0.failed = true }
            throw error
        }
        state.withLock { state in
            state.keys = fresh
            state.kids = kids
            state.failed = false
        }
        return kids.contains(kid) ? fresh : nil
    }

    struct JWKSUnavailable: Error {}

    private struct KeySet: Decodable {
        struct Key: Decodable { var kid: String? }
        var keys: [Key]
    }

    static func kids(in json: String) throws -> [String] {
        try JSONDecoder().decode(KeySet.self, from: Data(json.utf8)).keys.compactMap(\.kid)
    }
}
