#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Codable values on any ``Cache``, as JSON. For read-through use with single-flight, negative
/// caching and safe invalidation, prefer ``ReadThroughCache``.
extension Cache {
    /// The decoded value, or `nil` when absent. Throws the cache's error or a `DecodingError`.
    public func get<Value: Decodable>(_ key: String, as type: Value.Type, decoder: JSONDecoder = JSONDecoder()) async throws -> Value? {
        guard let bytes = try await self.get(key) else { return nil }
        return try decoder.decode(Value.self, from: Data(bytes))
    }

    /// Stores `value` as JSON for `ttl`.
    @discardableResult
    public func set<Value: Encodable>(
        _ key: String, encoding value: Value, ttl: Duration, condition: CacheWriteCondition = .always, encoder: JSONEncoder = JSONEncoder()
    ) async throws -> Bool {
        let encoded = try encoder.encode(value)
        return try await self.set(key, to: Array(encoded), ttl: ttl, condition: condition)
    }
}
