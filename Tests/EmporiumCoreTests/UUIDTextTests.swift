import EmporiumCore
import Foundation
import Testing

@Suite struct UUIDTextTests {
    @Test func writesWhatFoundationWritesInLowercase() {
        for _ in 0..<1000 {
            let uuid = UUID()
            #expect(UUIDText.lowercase(uuid) == uuid.uuidString.lowercased())
        }
    }

    @Test func readsCanonicalTextInEitherCase() {
        for _ in 0..<1000 {
            let uuid = UUID()
            #expect(UUIDText.parse(uuid.uuidString) == uuid)
            #expect(UUIDText.parse(uuid.uuidString.lowercased()) == uuid)
        }
    }

    @Test(arguments: [
        "", "not-a-uuid", "3f2b8c1e-0000-4000-8000-00000000000", "3f2b8c1e-0000-4000-8000-0000000000000",
        "3f2b8c1e00004000800000000000000000000", "3f2b8c1e-0000-4000-8000_000000000000", "3g2b8c1e-0000-4000-8000-000000000000",
        "{3f2b8c1e-0000-4000-8000-000000000000}", "3f2b8c1e-0000-4000-8000-00000000000é",
    ])
    func refusesEverythingElse(_ text: String) {
        #expect(UUIDText.parse(text) == nil)
        #expect(throws: EmporiumError.self) { try ProductID(parsing: text) }
    }

    @Test func idsSortAsTheirText() {
        let ids = (0..<200).map { _ in ProductID() }
        #expect(ids.sorted().map(\.description) == ids.map(\.description).sorted())
    }
}

extension UUIDTextTests {
    @Test func randomOnesAreVersion4AndDistinct() {
        let ids = (0..<1000).map { _ in UUIDText.lowercase(UUIDText.random()) }
        #expect(Set(ids).count == 1000)
        for id in ids {
            let characters = Array(id)
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
            #expect(UUIDText.parse(id) != nil)
        }
    }
}
