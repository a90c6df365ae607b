@testable import Catalog
import CatalogTesting
import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO
import Testing

/// The labelled relevance set (docs/search.md): seeded products, and for each sampled one the
/// queries a buyer looking for it might type — as written, Russian in Latin letters, the other
/// keyboard layout, a typo, brand and model alone — each of which must bring that product into
/// the top 10. The set is made from the seed, so it is the same on every run.
@Suite struct SearchRelevanceTests {
    struct Labelled: Sendable {
        let query: String
        let form: String
        let product: ProductID
    }

    @Test(arguments: [SearchIndexChoice.postgres, .resident(.beforeEachRead)])
    func recallAtTenStaysAboveNinetyPercent(_ index: SearchIndexChoice) async throws {
        let fixture = try await CatalogFixture.make("relevance")
        try await fixture.run(searchIndex: index) { service, client in
            _ = try await CatalogSeeder(client: client, logger: Logger(label: "test"), seed: 7).seed(products: 3_000)
            let rows = try await client.query("""
                SELECT id, title FROM catalog.products WHERE status = 'published' ORDER BY id
                """, logger: Logger(label: "test")).decode((UUID, String).self).collectAll()
            let sampled = stride(from: 0, to: rows.count, by: max(1, rows.count / 40)).prefix(40).map { rows[$0] }
            let set = sampled.flatMap { Self.queries(for: ProductID(uuid: $0.0), title: $0.1) }
            #expect(set.count >= 100, "the set has \(set.count) queries")

            var found = 0
            var reciprocalRanks = 0.0
            var misses: [String] = []
            for labelled in set {
                let top = try await service.catalog.search(text: labelled.query, first: 10, after: nil, viewer: nil).items.map(\.id)
                if let rank = top.firstIndex(of: labelled.product) {
                    found += 1
                    reciprocalRanks += 1 / Double(rank + 1)
                } else {
                    misses.append("\(labelled.form): \(labelled.query)")
                }
            }
            let recall = Double(found) / Double(set.count)
            let mrr = reciprocalRanks / Double(set.count)
            print("search relevance (\(index)): \(set.count) queries, recall@10 \(String(format: "%.3f", recall)), MRR \(String(format: "%.3f", mrr)); missed: \(misses)")
            #expect(recall >= 0.9, "recall@10 \(recall), MRR \(mrr); missed \(misses)")
        }
    }

    /// A product's title without its colour, in the forms a buyer might type it.
    static func queries(for product: ProductID, title: String) -> [Labelled] {
        var words = title.lowercased().split(separator: " ").map(String.init)
        words.removeLast()  // the colour: buyers rarely type it, and it is what most titles share
        let written = words.joined(separator: " ")
        var set = [Labelled(query: written, form: "written", product: product)]
        if words.contains(where: QueryVariants.isCyrillic) {
            set.append(Labelled(query: words.map(latin).joined(separator: " "), form: "latin", product: product))
        }
        set.append(Labelled(query: String(written.map(otherLayout)), form: "layout", product: product))
        if let longest = words.indices.max(by: { words[$0].count < words[$1].count }), words[longest].count >= 5 {
            var typo = words
            var letters = Array(typo[longest])
            letters.remove(at: letters.count / 2)
            typo[longest] = String(letters)
            set.append(Labelled(query: typo.joined(separator: " "), form: "typo", product: product))
        }
        // Brand and model ("galaktika k42"), wherever they stand in the title.
        let brandAndModel = words.filter { word in
            SeedVocabulary.brands.contains { $0.lowercased() == word } || (word.count == 3 && word.first!.isLetter && word.dropFirst().allSatisfy(\.isNumber))
        }
        if brandAndModel.count == 2 { set.append(Labelled(query: brandAndModel.joined(separator: " "), form: "brand+model", product: product)) }
        return set
    }

    /// A character as the other keyboard layout types it (digits and spaces stay).
    static func otherLayout(_ character: Character) -> Character {
        if let index = QueryVariants.latinKeys.firstIndex(of: character) { return QueryVariants.cyrillicKeys[index] }
        if let index = QueryVariants.cyrillicKeys.firstIndex(of: character) { return QueryVariants.latinKeys[index] }
        return character
    }

    /// Russian in Latin letters, the informal way ("смартфон" → "smartfon", "чайник" → "chaynik").
    static func latin(_ word: String) -> String {
        let table: [Character: String] = [
            "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k",
            "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
            "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
        ]
        return word.map { table[$0] ?? String($0) }.joined()
    }
}
