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
}
