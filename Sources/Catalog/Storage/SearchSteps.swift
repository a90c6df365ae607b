import EmporiumCore
import Foundation

/// The query understanding both search adapters share (docs/search.md, "Query understanding"):
/// the text as written (with synonyms), then its other readings, then typo corrections, each only
/// when the previous step found nothing. An adapter supplies how a match is paged and how words
/// are checked and corrected.
protocol SearchSteps: Sendable {
    var synonymTable: SynonymTable { get }
    /// One page of the products `match` finds, in the search's order.
    func page(_ match: SearchMatch, _ search: ProductSearch) async throws -> [Product]
    /// Per word, the first reading that is a word of some title, else the word as typed.
    func likelyReading(_ readings: [[String]]) async throws -> String
    /// Each word replaced by the most similar title word; nil when no word is close.
    func correctedQuery(_ readings: [[String]]) async throws -> String?
}

extension SearchSteps {
    func searchByReadings(_ search: ProductSearch) async throws -> SearchHits {
        guard !search.text.isEmpty else { return SearchHits(products: try await page(.everything, search), match: .everything) }
        let readings = QueryVariants.readings(of: search.text)
        let expansions = try await synonymTable.expansions(of: readings.map { $0[0] })
        let written: SearchMatch = expansions.isEmpty ? .text(search.text) : .words(readings.map { [$0[0]] + (expansions[$0[0]] ?? []) })
        let found = try await page(written, search)
        guard found.isEmpty else { return SearchHits(products: found, match: written) }
        // Nothing matched as written: read each word in the other keyboard layout and as Russian
        // in Latin letters ("cvfhnajy", "smartfon" for "смартфон") and search for any reading.
        if QueryVariants.hasOtherReadings(readings) {
            let match = SearchMatch.words(readings)
            let read = try await page(match, search)
            if !read.isEmpty { return SearchHits(products: read, match: match, correctedQuery: try await likelyReading(readings)) }
        }
        // Still nothing: correct each word (or its best reading) against the known title words
        // (trigram similarity, which forgives typos like "ketle") and search again.
        guard let corrected = try await correctedQuery(readings), corrected != search.text.lowercased() else {
            return SearchHits(products: [], match: nil)
        }
        let match = SearchMatch.text(corrected)
        let fixed = try await page(match, search)
        return fixed.isEmpty ? SearchHits(products: [], match: nil) : SearchHits(products: fixed, match: match, correctedQuery: corrected)
    }
}
