extension AsyncSequence {
    /// All elements, for result sets known to be small (a decoded row sequence, say).
    public func collectAll() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
