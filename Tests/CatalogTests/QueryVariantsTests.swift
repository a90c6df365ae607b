@testable import Catalog
import Testing

@Suite struct QueryVariantsTests {
    func readings(_ word: String) -> [String] { QueryVariants.readings(ofWord: word) }

    @Test func aWordTypedInTheWrongLayoutIsReadInTheOther() {
        #expect(readings("cvfhnajy").contains("смартфон"))
        #expect(readings("ufkfrnbrf").contains("галактика"))
        #expect(readings("xfqybr").contains("чайник"))
        #expect(readings("j,edm").contains("обувь"), "punctuation keys are letters in the other layout")
        #expect(readings("руфвзрщтуы").contains("headphones"))
    }

    @Test func russianWordsInLatinLettersAreTransliterated() {
        #expect(readings("smartfon").contains("смартфон"))
        #expect(readings("galaktika").contains("галактика"))
        #expect(readings("chaynik").contains("чайник"))
        #expect(readings("shchetka").contains("щетка"))
        #expect(readings("zhurnal").contains("журнал"))
        #expect(readings("kholodilnik").contains("холодилник"), "close enough for the trigram correction to finish")
    }

    @Test func aQueryIsReadWordByWord() {
        let readings = QueryVariants.readings(of: "Cvfhnajy  S24")
        #expect(readings.count == 2)
        #expect(readings[0].first == "cvfhnajy" && readings[0].contains("смартфон"))
        #expect(readings[1].first == "s24")
        #expect(QueryVariants.hasOtherReadings(readings))
        #expect(!QueryVariants.hasOtherReadings(QueryVariants.readings(of: "123 456")))
        #expect(QueryVariants.readings(of: String(repeating: "a ", count: 50)).count == 8, "at most eight words")
    }

    @Test func readingsAreFewDistinctAndStartWithTheWord() {
        for word in ["kettle", "смартфон", "s24", "cvfhnajy", "😀", "a-b", "123", "mixedсмесь", "[];',./"] {
            let all = readings(word)
            #expect(all.first == word)
            #expect(all.count <= 3)
            #expect(Set(all).count == all.count)
        }
        #expect(readings("123") == ["123"], "digits have no other reading")
        #expect(readings("mixedсмесь") == ["mixedсмесь"], "a word in both alphabets is taken as written")
        #expect(readings("😀") == ["😀"])
    }

    /// The first, plain way of reading (characters compared as strings, rows searched), kept as
    /// the reference for the faster one on every kind of character a query can hold.
    static func referenceTransliteration(_ text: String) -> String? {
        let characters = Array(text)
        var output = ""
        var index = 0
        reading: while index < characters.count {
            for (latin, cyrillic) in QueryVariants.multiLetter where index + latin.count <= characters.count {
                if String(characters[index..<index + latin.count]) == latin {
                    output += cyrillic
                    index += latin.count
                    continue reading
                }
            }
            let character = characters[index]
            if let cyrillic = QueryVariants.singleLetter[character] {
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

    @Test func fastReadingsAgreeWithThePlainOnes() {
        var random = SeedRandom(seed: 3)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz'-1 ;,.[]`ёйцукенгшщзхъфывапролджэячсмитьбю½٣žé") + ["e\u{301}", "1\u{20E3}"]
        for _ in 0..<3_000 {
            let word = String((0..<(1 + Int(random.next() % 9))).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            #expect(QueryVariants.transliterate(word) == Self.referenceTransliteration(word), "\(word)")
            for (from, to) in [(QueryVariants.latinKeys, QueryVariants.cyrillicKeys), (QueryVariants.cyrillicKeys, QueryVariants.latinKeys)] {
                let reference = Dictionary(zip(from, to), uniquingKeysWith: { first, _ in first })
                let expected: String? = {
                    var output = "", letters = 0
                    for character in word {
                        if let key = reference[character] { output.append(key); letters += 1 }
                        else if character == " " || character == "-" || character.isNumber { output.append(character) }
                        else { return nil }
                    }
                    return output.contains(where: \.isLetter) && letters > 0 ? output : nil
                }()
                #expect(QueryVariants.switchLayout(word, from: from, to: to) == expected, "\(word)")
            }
        }
    }
}
