import EmporiumCore
import Testing

@Suite struct SlugTests {
    @Test(arguments: [
        ("Смартфон Галактика S24", "smartfon-galaktika-s24"),
        ("Чайник электрический «Щука» 1,7 л", "chaynik-elektricheskiy-shchuka-1-7-l"),
        ("Ёжик в тумане", "ezhik-v-tumane"),
        ("Київ — їжак, ґанок, є", "kiyiv-yizhak-ganok-ye"),
        ("Crème Brûlée Maker", "creme-brulee-maker"),
        ("Straße & Co.", "strasse-and-co"),
        ("  --Hello,   World!!  ", "hello-world"),
        ("iPhone 15 Pro Max (256GB)", "iphone-15-pro-max-256gb"),
    ])
    func derivesReadableLatinSlugs(title: String, expected: String) {
        #expect(Slug(from: title).rawValue == expected)
    }

    @Test func titlesWithNothingSluggableUseTheFallback() {
        #expect(Slug(from: "!!! ???", fallback: "product").rawValue == "product")
        #expect(Slug(from: "日本語", fallback: "product").rawValue == "product")
    }

    @Test func longTitlesAreCutAtAWordBoundary() {
        let title = Array(repeating: "word", count: 40).joined(separator: " ")
        let slug = Slug(from: title).rawValue
        #expect(slug.count <= Slug.maximumLength)
        #expect(!slug.hasSuffix("-"))
        #expect(slug.hasSuffix("word"))
    }

    @Test func suffixesDisambiguate() {
        #expect(Slug(from: "Red Kettle").withSuffix(2).rawValue == "red-kettle-2")
    }

    @Test func validationAcceptsOnlyCanonicalSlugs() {
        #expect(Slug(validating: "red-kettle-2") != nil)
        #expect(Slug(validating: "Red-Kettle") == nil)
        #expect(Slug(validating: "red--kettle") == nil)
        #expect(Slug(validating: "-red") == nil)
        #expect(Slug(validating: "") == nil)
        #expect(Slug(validating: "red kettle") == nil)
    }
}
