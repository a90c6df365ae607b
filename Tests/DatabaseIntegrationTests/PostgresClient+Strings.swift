import PostgresNIO

extension PostgresClient {
    /// The rows of a single-column text query (NULL as nil), for assertions.
    func strings(_ query: PostgresQuery) async throws -> [String?] {
        var result: [String?] = []
        for try await value in try await self.query(query).decode(String?.self) { result.append(value) }
        return result
    }
}
