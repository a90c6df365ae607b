import Foundation

/// A URL-safe, readable, lowercase Latin identifier derived from a title.
///
/// Non-Latin titles are transliterated (Cyrillic by the common Russian/Ukrainian scheme), other
/// scripts' diacritics are folded, and everything else becomes single hyphens, so
/// "Смартфон Галактика S24" becomes `smartfon-galaktika-s24`.
public struct Slug: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Slugs longer than this are cut at a word boundary.
    public static let maximumLength = 80

    /// Accepts an existing slug verbatim if it is well-formed (used when resolving lookups).
    public init?(validating text: String) {
        // One pass over the bytes (Foundation's `contains` on strings took a few percent of a
        // productBySlug): lowercase ASCII letters and digits, single hyphens inside.
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= Slug.maximumLength + 12 else { return nil }
        var previous: UInt8 = UInt8(ascii: "-")
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): break
            case UInt8(ascii: "-") where previous != UInt8(ascii: "-"): break
            default: return nil
            }
            previous = byte
        }
        guard previous != UInt8(ascii: "-") else { return nil }
        rawValue = text
    }

    /// Derives a slug from a title; a title with nothing sluggable yields `fallback`.
    public init(from title: String, fallback: String = "item") {
        let transliterated = Slug.transliterate(title)
        let folded = transliterated.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        for scalar in folded.lowercased().unicodeScalars {
            if Slug.allowedWordScalars.contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }

        var slug = ""
        for word in words {
            let candidate = slug.isEmpty ? word : slug + "-" + word
            if candidate.count > Slug.maximumLength {
                if slug.isEmpty { slug = String(word.prefix(Slug.maximumLength)) }
                break
            }
            slug = candidate
        }
        rawValue = slug.isEmpty ? fallback : slug
    }

    private init(raw: String) { rawValue = raw }

    /// The n-th alternative for a taken slug: `name-2`, `name-3`, …
    public func withSuffix(_ n: Int) -> Slug {
        Slug(raw: "\(rawValue)-\(n)")
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let slug = Slug(validating: text) else {
            throw EmporiumError.badInput("'\(text.prefix(64))' is not a valid slug")
        }
        self = slug
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static let allowedWordScalars = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789")

    static func transliterate(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            let lower = character.lowercased()
            if let latin = cyrillic[lower] {
                output += latin
            } else if let latin = special[lower] {
                output += latin
            } else {
                output += lower
            }
        }
        return output
    }

    // Russian (ISO 9 / passport-style readable variant), plus Ukrainian and Belarusian letters.
    private static let cyrillic: [String: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
        "є": "ye", "і": "i", "ї": "yi", "ґ": "g", "ў": "u",
    ]

    // Letters that diacritic folding does not decompose.
    private static let special: [String: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th", "ð": "d", "ı": "i",
        "&": " and ", "+": " plus ",
    ]
}
