import Foundation
import Database
import Logging
import PostgresNIO

/// A process's copy of `catalog.search_synonyms`, read whole and kept for `maxAge`: every search
/// looks its words up, and a round trip per search for a table admins rarely edit would cost
/// more than the lookup. Concurrent searches that find the copy stale share one reload.
actor SynonymTable {
    /// The table's bound, so that the copy stays small: at most 10,000 × 20 phrases of up to 100
    /// characters (a few MB in the worst case; a real synonym list is far smaller).
    static let maximumTerms = 10_000

    private let client: PostgresClient
    private let maxAge: Duration
    private let logger: Logger
    private var entries: [String: [String]] = [:]
    private var loadedAt: ContinuousClock.Instant?
    private var loading: Task<[String: [String]], any Error>?
    /// Bumped by every invalidation: a reload that started before one is not kept as fresh.
    private var generation = 0

    init(client: PostgresClient, maxAge: Duration, logger: Logger) {
        self.client = client
        self.maxAge = maxAge
        self.logger = logger
    }

    /// The synonyms of those of `words` that have any.
    func expansions(of words: [String]) async throws -> [String: [String]] {
        let table = try await current()
        guard !table.isEmpty else { return [:] }
        var found: [String: [String]] = [:]
        for word in words { if let synonyms = table[word] { found[word] = synonyms } }
        return found
    }

    /// The next lookup reads the table again (after an edit through this process).
    func invalidate() {
        loadedAt = nil
        generation += 1
    }

    private func current() async throws -> [String: [String]] {
        if let loadedAt, loadedAt.duration(to: .now) < maxAge { return entries }
        if let loading { return try await loading.value }
        let client = client, logger = logger
        // Unstructured so that a cancelled search does not cancel the reload other searches wait for.
        let task = Task { () async throws -> [String: [String]] in
            let rows = try await client.query("SELECT term, synonyms FROM catalog.search_synonyms", logger: logger)
                .decode((String, [String]).self).collectAll()
            return Dictionary(rows, uniquingKeysWith: { first, _ in first })
        }
        loading = task
        defer { loading = nil }
        let started = ContinuousClock.now, generation = generation
        let loaded = try await task.value
        entries = loaded
        if generation == self.generation { loadedAt = started }
        return loaded
    }
}
