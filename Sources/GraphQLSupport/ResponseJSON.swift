import Foundation
import GraphQL
import GraphQLExecution

/// Serializes a GraphQL result held as a `Map` (the gateway's answers, refusals) with its fields
/// in selection order (the spec asks for that, and `JSONEncoder` does not keep dictionary order),
/// through the engine's ``JSONWriter`` so both kinds of answers are written alike.
enum ResponseJSON {
    static func encode(_ result: GraphQLResult) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(result, into: &out)
        return Data(out)
    }

    static func write(_ result: GraphQLResult, into out: inout [UInt8]) {
        if let data = result.data {
            JSONWriter.writeResponse(errors: result.errors, into: &out) { JSONWriter.write(data, into: &$0) }
        } else {
            JSONWriter.writeResponse(errors: result.errors, into: &out, data: nil)
        }
    }

    static func write(_ map: Map, into out: inout [UInt8]) {
        JSONWriter.write(map, into: &out)
    }
}
