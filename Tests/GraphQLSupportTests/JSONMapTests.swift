import Foundation
import GraphQL
import GraphQLSupport
import OrderedCollections
import Testing

@Suite struct JSONMapTests {
    @Test func parsesEveryKindAndKeepsKeyOrder() throws {
        let map = try JSONMap.parse(Data(#" {"z": 1, "a": [true, false, null, -0.5, 12e2, "x"], "m": {"k": "\u00e9\ud83d\ude00\n\"\\/"}, "big": 9007199254740993} "#.utf8))
        let object = try #require(map.dictionary)
        #expect(Array(object.keys) == ["z", "a", "m", "big"])
        #expect(object["z"]?.int == 1)
        let array = try #require(object["a"]?.array)
        #expect(array.count == 6)
        #expect(array[0].bool == true && array[1].bool == false && array[2].isNull)
        #expect(array[3].double == -0.5 && array[4].double == 1200 && array[5].string == "x")
        #expect(object["m"]?.dictionary?["k"]?.string == "é😀\n\"\\/")
        #expect(object["big"]?.int == 9_007_199_254_740_993)
    }

    @Test func agreesWithJSONDecoderOnAGraphQLResponse() throws {
        let text = #"{"data":{"products":{"edges":[{"node":{"id":"1","title":"Смартфон","price":{"amount":7999000,"currency":"RUB"},"inStock":true,"rating":4.5,"compareAt":null}}]}},"errors":[{"message":"m","path":["products",0]}]}"#
        let fast = try JSONMap.parse(Data(text.utf8))
        let reference = try JSONDecoder().decode(Map.self, from: Data(text.utf8))
        // JSONDecoder reads every number as a Double and loses key order; JSONMap keeps both.
        #expect(Self.numbersAsDoubles(fast) == Self.numbersAsDoubles(reference))
        #expect(fast.dictionary?["data"]?.dictionary?["products"]?.dictionary?["edges"]?.array?.first?
            .dictionary?["node"]?.dictionary?["price"]?.dictionary?["amount"]?.int == 7_999_000)
    }

    static func numbersAsDoubles(_ map: Map) -> Map {
        switch map {
        case .number(let number): return .number(Number(number.doubleValue))
        case .array(let items): return .array(items.map(numbersAsDoubles))
        case .dictionary(let members):  // and keys sorted: JSONDecoder does not keep their order
            return .dictionary(OrderedDictionary(uniqueKeysWithValues: members.sorted { $0.key < $1.key }.map { ($0.key, numbersAsDoubles($0.value)) }))
        default: return map
        }
    }

    @Test func rejectsMalformedInputWithThePosition() {
        for (text, reason) in [("{\"a\" 1}", "expected ':'"), ("[1,]", "unexpected character"), ("\"abc", "unterminated"), ("01", "unexpected data"),
                               ("{\"a\":1} x", "unexpected data"), ("\"\\ud800\"", "unpaired surrogate"), ("tru", "unexpected end"), ("1.", "digits expected"),
                               ("\"a\u{01}\"", "control character")] {
            let error = #expect(throws: JSONMap.SyntaxError.self) { try JSONMap.parse(Data(text.utf8)) }
            #expect(error?.reason.contains(reason) == true, "\(text): \(String(describing: error))")
        }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONMap.SyntaxError.self) { try JSONMap.parse(Data(deep.utf8)) }
    }
}

@Suite struct JSONMapSerializeTests {
    @Test func serializedMapsParseBackUnchanged() throws {
        let text = #"{"query":"{ a }","variables":{"r":[{"__typename":"Product","id":"é\"\n"}],"n":3,"x":1.5,"t":true,"z":null}}"#
        let map = try JSONMap.parse(Data(text.utf8))
        #expect(try JSONMap.parse(JSONMap.serialize(map)) == map)
        #expect(String(decoding: JSONMap.serialize(map), as: UTF8.self) == text)
    }
}
