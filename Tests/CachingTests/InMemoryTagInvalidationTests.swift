import Caching
import Testing

@Suite struct InMemoryTagInvalidationTests {
    @Test func changesOlderThanTheRetentionAreForgotten() async throws {
        let tags = InMemoryTagInvalidation(retention: .milliseconds(300), hold: .milliseconds(10))
        tags.invalidate((0..<1000).map { "old:\($0)" })
        #expect(tags.rememberedCount == 1000)
        try await Task.sleep(for: .milliseconds(400))
        tags.invalidate((0..<100).map { "new:\($0)" })
        #expect(tags.rememberedCount == 100, "the sweep at 1,024 entries dropped the 1,000 old ones")
    }
}
