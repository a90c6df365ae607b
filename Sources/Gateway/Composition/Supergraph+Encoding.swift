import Foundation
import OrderedCollections

/// The supergraph file `emporium compose` writes: JSON with a format version, the subgraphs and
/// the merged types. The API schema is rebuilt on decoding, so the file cannot disagree with it.
extension Supergraph {
    static let formatVersion = 1

    private struct File: Codable {
        var format: String
        var version: Int
        var subgraphs: [Subgraph]
        var types: [SupergraphType]
    }

    public struct DecodingError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The supergraph as pretty-printed JSON with sorted keys, stable enough to diff in review.
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let file = File(format: "emporium-supergraph", version: Self.formatVersion, subgraphs: subgraphs, types: Array(types.values))
        // Every member is a plain Codable value: encoding cannot fail.
        let data = (try? encoder.encode(file)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads what `encoded()` wrote.
    public init(decoding text: String) throws {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(text.utf8))
        } catch {
            throw DecodingError(description: "not a supergraph file: \(error)")
        }
        guard file.format == "emporium-supergraph", file.version == Self.formatVersion else {
            throw DecodingError(description: "unsupported supergraph format '\(file.format)' version \(file.version); expected version \(Self.formatVersion)")
        }
        var types: OrderedDictionary<String, SupergraphType> = [:]
        for type in file.types { types[type.name] = type }
        try self.init(subgraphs: file.subgraphs, types: types)
    }
}
