import Synchronization

/// Category names lowercased and split into words once per tree, for type-ahead. Lowercasing and
/// splitting Cyrillic names on every call (Unicode property lookups per character, canonical
/// comparison in `hasPrefix`) was a fifth of a suggestion's CPU; the tree changes rarely, so the
/// last one prepared is kept and reused while the category list is the same.
struct CategoryNames: Sendable {
    private struct Entry: Sendable {
        let category: Category
        let name: [UInt8]
        let words: [[UInt8]]
    }

    private let categories: [Category]
    private let entries: [Entry]

    private static let last = Mutex<CategoryNames?>(nil)

    static func of(_ categories: [Category]) -> CategoryNames {
        if let kept = last.withLock({ $0 }), kept.categories == categories { return kept }
        let prepared = CategoryNames(categories: categories)
        last.withLock { $0 = prepared }
        return prepared
    }

    private init(categories: [Category]) {
        self.categories = categories
        entries = categories.map { category in
            let name = category.name.lowercased()
            return Entry(
                category: category, name: Array(name.utf8),
                words: name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { Array($0.utf8) })
        }
    }

    /// Names, or (for a one-word prefix) a word of them, starting with one of `prefixes` (already
    /// lowercased); shortest names first.
    func matching(_ prefixes: [String]) -> [SearchSuggestion] {
        let typed = prefixes.map { (bytes: Array($0.utf8), oneWord: !$0.contains(where: \.isWhitespace)) }
        return entries.filter { entry in
            typed.contains { prefix in
                entry.name.starts(with: prefix.bytes) || (prefix.oneWord && entry.words.contains { $0.starts(with: prefix.bytes) })
            }
        }
        .map(\.category)
        .sorted { ($0.name.count, $0.name) < ($1.name.count, $1.name) }
        .map { SearchSuggestion(kind: .category, text: $0.name, categoryID: $0.id) }
    }
}
