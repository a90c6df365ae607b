/// Other readings of a search query that a buyer meant: typed with the keyboard in the wrong
/// layout ("cvfhnajy" is "смартфон" typed on a Latin layout, "ыьфкесрщту" the reverse), or a
/// Russian word written in Latin letters ("smartfon", "Galaktika"; informal spellings and GOST/ISO 9
/// both). Word by word, since one query may mix them ("cvfhnajy s24"). The search tries these
/// readings when the query as written finds nothing; a reading that matches nothing costs nothing.
public enum QueryVariants {
    /// The query's words (split at spaces, at most eight), each with its readings: itself first,
    /// then the other layout's and the transliteration when they differ (at most three in all).
    public static func readings(of text: String) -> [[String]] {
        text.lowercased().split(whereSeparator: \.isWhitespace).prefix(8).map { readings(ofWord: String($0)) }
    }

    /// Whether any word of the query has a reading besides itself.
    public static func hasOtherReadings(_ readings: [[String]]) -> Bool {
        readings.contains { $0.count > 1 }
    }

    static func readings(ofWord word: String) -> [String] {
        var readings = [word]
        func add(_ candidate: String?) {
            guard let candidate, !readings.contains(candidate) else { return }
            readings.append(candidate)
        }
        if isLatin(word) {
            add(switchLayout(word, from: latinKeys, to: cyrillicKeys))
            add(transliterate(word))
        } else if isCyrillic(word) {
            add(switchLayout(word, from: cyrillicKeys, to: latinKeys))
        }
        return Array(readings.prefix(3))
    }

    // MARK: Keyboard layouts

    /// The keys of a QWERTY and a ЙЦУКЕН keyboard, position by position (unshifted).
    static let latinKeys = Array("`qwertyuiop[]asdfghjkl;'zxcvbnm,.")
    static let cyrillicKeys = Array("ёйцукенгшщзхъфывапролджэячсмитьбю")

    /// `text` as the other layout would have typed it; nil unless every letter has a key there
    /// (spaces, digits and hyphens stay), and unless it has a letter at all.
    static func switchLayout(_ text: String, from: [Character], to: [Character]) -> String? {
        let keys = from == latinKeys ? latinToCyrillic : from == cyrillicKeys ? cyrillicToLatin : Dictionary(zip(from, to), uniquingKeysWith: { first, _ in first })
        var output = ""
        var letters = 0
        for character in text {
            if let key = keys[character] {
                output.append(key)
                letters += 1
            } else if character == " " || character == "-" || character.isNumber {
                output.append(character)
            } else {
                return nil
            }
        }
        // Punctuation keys alone ("," and ".") are not a word typed in the wrong layout.
        return output.contains(where: \.isLetter) && letters > 0 ? output : nil
    }

    // Type-ahead reads every prefix this way: lookups, not searches of the key rows.
    private static let latinToCyrillic = Dictionary(zip(latinKeys, cyrillicKeys), uniquingKeysWith: { first, _ in first })
    private static let cyrillicToLatin = Dictionary(zip(cyrillicKeys, latinKeys), uniquingKeysWith: { first, _ in first })

    // MARK: Transliteration

    /// Latin spellings of Russian sounds, longest first: informal ("zh", "ch", "sh", "shch",
    /// "ya", "yu", "kh") and GOST/ISO 9 forms ("ŝ", "č", "ž" read as their base letters too).
    static let multiLetter: [(String, String)] = [
        ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"), ("ts", "ц"), ("tz", "ц"),
        ("yo", "ё"), ("jo", "ё"), ("yu", "ю"), ("ju", "ю"), ("iu", "ю"), ("ya", "я"), ("ja", "я"), ("ia", "я"),
        ("ye", "е"), ("je", "е"), ("ey", "ей"), ("ay", "ай"), ("oy", "ой"), ("iy", "ий"), ("yy", "ый"),
    ]

    static let singleLetter: [Character: String] = [
        "a": "а", "b": "б", "v": "в", "w": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и", "j": "й", "y": "ы",
        "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф",
        "h": "х", "c": "к", "q": "к", "x": "кс", "'": "ь",
    ]

    // The spellings as ASCII codes, and the single letters by code: transliteration runs for
    // every type-ahead prefix, and comparing substrings as `String`s was a tenth of its CPU.
    private static let multiLetterCodes: [(latin: [UInt8], cyrillic: String)] = multiLetter.map { (Array($0.0.utf8), $0.1) }
    private static let singleLetterCodes: [String?] = (0..<128).map { code in
        singleLetter[Character(Unicode.Scalar(UInt8(code)))]
    }

    /// `text` in Cyrillic letters; nil when something in it has no reading.
    static func transliterate(_ text: String) -> String? {
        let characters = Array(text)
        var output = ""
        var index = 0
        reading: while index < characters.count {
            for (latin, cyrillic) in multiLetterCodes where index + latin.count <= characters.count {
                if latin.indices.allSatisfy({ characters[index + $0].asciiValue == latin[$0] }) {
                    output += cyrillic
                    index += latin.count
                    continue reading
                }
            }
            let character = characters[index]
            if let code = character.asciiValue, let cyrillic = singleLetterCodes[Int(code)] {
                output += cyrillic
            } else if character == " " || character == "-" || character.isNumber {
                output.append(character)
            } else {
                return nil
            }
            index += 1
        }
        return output.contains(where: \.isLetter) ? output : nil
    }

    static func isLatin(_ text: String) -> Bool {
        text.unicodeScalars.contains { ("a"..."z").contains($0) } && !text.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }
    }

    static func isCyrillic(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) } && !text.unicodeScalars.contains { ("a"..."z").contains($0) }
    }
}
